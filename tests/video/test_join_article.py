"""A clip uploaded for an entry before its article exists (a reporter's after the interview, say) goes
into the article drafted from that entry; a clip already in another article stays where it is."""

import pytest

from submissions.models import Status, Video
from submissions.newsroom import publishing
from submissions.workflow import roles
from tests.factories import ShowcaseFactory, make_user, submission_in
from tests.video.clips import ready_video

pytestmark = pytest.mark.django_db


def test_the_entrys_clips_join_the_article_drafted_from_it(clip):
    editor = make_user(roles.EDITOR, username="editor")
    entry = submission_in(Status.ACCEPTED)
    first = ready_video(entry, clip, caption="采访现场")
    elsewhere = ShowcaseFactory()
    kept = ready_video(entry, clip, showcase=elsewhere, caption="另一篇文章的视频")
    assert Video.objects.get(pk=first.pk).showcase_id is None

    article = publishing.draft_from_entry(entry, editor=editor, short_name="示范支部")

    assert Video.objects.get(pk=first.pk).showcase_id == article.pk
    assert Video.objects.get(pk=kept.pk).showcase_id == elsewhere.pk
