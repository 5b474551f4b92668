"""The data model of the whole loop: submit, review, publish, read."""

from submissions.models.campaign import Campaign, Criterion, Region
from submissions.models.outbox import NotificationTemplate, OutboxMessage
from submissions.models.review import Review, ReviewAssignment, ReviewerProfile, ReviewScore, Stage
from submissions.models.showcase import (
    Comment,
    RelatedLink,
    Showcase,
    ShowcasePhoto,
    ShowcaseRevision,
    ShowcaseSection,
)
from submissions.models.site import SiteSettings
from submissions.models.submission import (
    Attachment,
    Kind,
    OrgType,
    Photo,
    ReferenceCounter,
    Section,
    Sector,
    Status,
    StatusChange,
    Submission,
)

__all__ = [
    "Attachment",
    "Campaign",
    "Comment",
    "Criterion",
    "Kind",
    "NotificationTemplate",
    "OrgType",
    "OutboxMessage",
    "Photo",
    "ReferenceCounter",
    "Region",
    "RelatedLink",
    "Review",
    "ReviewAssignment",
    "ReviewScore",
    "ReviewerProfile",
    "Section",
    "Sector",
    "Showcase",
    "ShowcasePhoto",
    "ShowcaseRevision",
    "ShowcaseSection",
    "SiteSettings",
    "Stage",
    "Status",
    "StatusChange",
    "Submission",
]
