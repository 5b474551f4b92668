"""The data model of the whole loop: submit, review, publish, read."""

from submissions.models.brand import Brand
from submissions.models.campaign import Campaign, Criterion, Region
from submissions.models.certificate import Certificate, CertificateCounter, CertificateKind, CertificateState, CertificateStep
from submissions.models.expert import CommentaryRequest, CommentaryStatus, CommentaryStep, Expert  # noqa: F401
from submissions.models.export import ExportJob
from submissions.models.interview import CalendarKey, Interview, InterviewDate, InterviewStatus, InterviewStep  # noqa: F401
from submissions.models.mailbox import MailboxMessage
from submissions.models.notice import (  # noqa: F401
    NoticeItem,
    NoticeStatus,
    NoticeStep,
    Objection,
    ObjectionEvidence,
    ObjectionStatus,
    ObjectionStep,
    PublicNotice,
)
from submissions.models.outbox import NotificationTemplate, OutboxMessage
from submissions.models.overlap import OverlapDocument, OverlapHash, OverlapMatch, OverlapShingle
from submissions.models.recommendation import EligibilityCheck, EligibilityItem, Recommendation, RecommendingBody  # noqa: F401
from submissions.models.review import (  # noqa: F401
    Review,
    ReviewAssignment,
    ReviewDeadline,
    ReviewerProfile,
    ReviewReminder,
    ReviewScore,
    Stage,
)
from submissions.models.search import SearchDocument, ShowcaseViews
from submissions.models.showcase import Comment, RelatedLink, Showcase, ShowcasePhoto, ShowcaseRevision, ShowcaseSection
from submissions.models.site import SiteSettings
from submissions.models.status import ArticleState, Status, StatusChange
from submissions.models.submission import Attachment, Kind, OrgType, Photo, ReferenceCounter, Section, Sector, Submission
from submissions.models.video import Video, VideoState
from submissions.models.vote import Vote, VoteCode, VoteSettings, VoteTally  # noqa: F401

__all__ = [
    "ArticleState",
    "Attachment",
    "Brand",
    "Campaign",
    "Certificate",
    "CertificateCounter",
    "CertificateKind",
    "CertificateState",
    "CertificateStep",
    "Comment",
    "Criterion",
    "ExportJob",
    "Kind",
    "MailboxMessage",
    "NotificationTemplate",
    "OrgType",
    "OutboxMessage",
    "OverlapDocument",
    "OverlapHash",
    "OverlapMatch",
    "OverlapShingle",
    "Photo",
    "ReferenceCounter",
    "Region",
    "RelatedLink",
    "Review",
    "ReviewAssignment",
    "ReviewScore",
    "ReviewerProfile",
    "SearchDocument",
    "Section",
    "Sector",
    "Showcase",
    "ShowcasePhoto",
    "ShowcaseRevision",
    "ShowcaseSection",
    "ShowcaseViews",
    "SiteSettings",
    "Stage",
    "Status",
    "StatusChange",
    "Submission",
    "Video",
    "VideoState",
]
