"""The demo (seed_demo): one expert with an accepted commentary on a published article, made once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from submissions.models import CommentaryRequest, CommentaryStatus, Expert

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_expert_with_an_accepted_commentary_on_a_live_article(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    commentary = CommentaryRequest.objects.get()
    assert Expert.objects.count() == 1
    assert commentary.status == CommentaryStatus.ACCEPTED and commentary.history.count() == 2
    article = commentary.submission.showcase
    assert commentary.expert.name in client.get(article.get_absolute_url()).content.decode()
    page = client.get(reverse("experts:detail", args=[commentary.expert.slug])).content.decode()
    assert article.title in page
