"""The ground everything stands on: settings, health check, base layout, roles, demo data."""

from datetime import UTC

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from portal import env
from submissions.models import Photo, Region, Showcase, SiteSettings, Status, Submission
from submissions.workflow import roles
from tests.factories import published_showcase


def test_database_url_sqlite_is_tuned_for_concurrent_writers():
    config = env.database("sqlite:////tmp/x.sqlite3", statement_timeout_ms=1000)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5


def test_database_url_postgres_keeps_connections_and_bounds_statements():
    config = env.database("postgres://postgres@127.0.0.1:5432/portal", statement_timeout_ms=1500)
    assert config["ENGINE"].endswith("postgresql")
    assert config["CONN_MAX_AGE"] > 0 and config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"]["options"] == "-c statement_timeout=1500"


def test_flags_refuse_unclear_values(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env.flag("SOME_FLAG")
    monkeypatch.setenv("SOME_FLAG", "yes")
    assert env.flag("SOME_FLAG") is True


def test_missing_secret_key_is_explained(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "0", "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        cwd=str(pytest.importorskip("django").conf.settings.BASE_DIR),
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_database_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


@pytest.mark.django_db
def test_home_in_chinese_with_navigation_and_footer(client):
    site = SiteSettings.load()
    site.icp_number = "鲁ICP备12345678号"
    site.news_licence = "37120170001"
    site.save()
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    for label in ["征集启事", "我要报送", "进度查询", "品牌巡展"]:
        assert label in html
    assert "鲁ICP备12345678号" in html and "https://beian.miit.gov.cn/" in html
    assert "37120170001" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_english_is_switchable(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Call for entries" in html and "Brand showcase" in html


@pytest.mark.django_db
def test_times_are_beijing_time_to_the_second(client):
    from datetime import datetime

    article = published_showcase()
    Showcase.objects.filter(pk=article.pk).update(published_at=datetime(2021, 1, 13, 10, 11, 51, tzinfo=UTC))
    response = client.get(article.get_absolute_url())
    assert "2021-01-13 18:11:51" in response.content.decode()


@pytest.mark.django_db
def test_site_settings_is_one_record():
    SiteSettings.load()
    SiteSettings(phone="1").save()
    assert SiteSettings.objects.count() == 1
    assert SiteSettings.load().phone == "1"


# The product's roles, written out here (not read from submissions/workflow/roles.py): reviewers score the
# entries assigned to them; editors run the workflow, edit entries, write articles and request
# sign-off; chief editors do all an editor does and sign off and publish (docs/workflow.md).
REVIEWER_PERMISSIONS = {
    "submissions.score_submission",
    "submissions.view_review",
    "submissions.add_review",
    "submissions.change_review",
}
EDITOR_PERMISSIONS = {
    "submissions.view_submission",
    "submissions.add_submission",
    "submissions.change_submission",
    "submissions.run_workflow",
    "submissions.export_submission",
    "submissions.view_section",
    "submissions.add_section",
    "submissions.change_section",
    "submissions.delete_section",
    "submissions.view_photo",
    "submissions.add_photo",
    "submissions.change_photo",
    "submissions.delete_photo",
    "submissions.view_attachment",
    "submissions.add_attachment",
    "submissions.change_attachment",
    "submissions.delete_attachment",
    "submissions.view_statuschange",
    "submissions.view_review",
    "submissions.view_reviewassignment",
    "submissions.add_reviewassignment",
    "submissions.delete_reviewassignment",
    "submissions.view_campaign",
    "submissions.add_campaign",
    "submissions.change_campaign",
    "submissions.view_criterion",
    "submissions.add_criterion",
    "submissions.change_criterion",
    "submissions.delete_criterion",
    "submissions.view_region",
    "submissions.view_showcase",
    "submissions.add_showcase",
    "submissions.change_showcase",
    "submissions.view_showcasesection",
    "submissions.add_showcasesection",
    "submissions.change_showcasesection",
    "submissions.delete_showcasesection",
    "submissions.view_showcasephoto",
    "submissions.add_showcasephoto",
    "submissions.change_showcasephoto",
    "submissions.delete_showcasephoto",
    "submissions.view_relatedlink",
    "submissions.add_relatedlink",
    "submissions.change_relatedlink",
    "submissions.delete_relatedlink",
    "submissions.view_showcaserevision",
    "submissions.view_comment",
    "submissions.change_comment",
    "submissions.view_notificationtemplate",
    "submissions.change_notificationtemplate",
    "submissions.view_outboxmessage",
    "submissions.view_sitesettings",
    "submissions.change_sitesettings",
    "submissions.view_certificate",
    "submissions.view_certificatestep",
    "submissions.issue_certificate",
    "submissions.view_publicnotice",
    "submissions.add_publicnotice",
    "submissions.change_publicnotice",
    "submissions.publish_notice",
    "submissions.view_noticestep",
    "submissions.view_noticeitem",
    "submissions.view_objection",
    "submissions.view_objectionstep",
    "submissions.handle_objection",
    "submissions.view_votesettings",
    "submissions.add_votesettings",
    "submissions.change_votesettings",
    "submissions.view_vote",
    "submissions.moderate_vote",
    "submissions.check_eligibility",
    "submissions.view_recommendingbody",
    "submissions.add_recommendingbody",
    "submissions.change_recommendingbody",
    "submissions.view_eligibilitycheck",
    "submissions.view_recommendation",
    "submissions.view_interview",
    "submissions.add_interview",
    "submissions.change_interview",
    "submissions.plan_interview",
    "submissions.view_interviewstep",
    "submissions.view_video",
    "submissions.add_video",
    "submissions.change_video",
    "submissions.delete_video",
    "submissions.view_expert",
    "submissions.add_expert",
    "submissions.change_expert",
    "submissions.view_commentaryrequest",
    "submissions.add_commentaryrequest",
    "submissions.request_commentary",
    "submissions.view_commentarystep",
}
# An expert of the panel signed in: writes the commentaries asked of them (narrowed to their own by the authority).
COMMENTATOR_PERMISSIONS = {"submissions.write_commentary"}
# A recommending body's accounts: eligibility and recommendation, narrowed to their own area's entries by the authority.
RECOMMENDER_PERMISSIONS = {"submissions.check_eligibility", "submissions.recommend_submission"}
CHIEF_PERMISSIONS = EDITOR_PERMISSIONS | {"submissions.signoff_showcase", "submissions.revoke_certificate"}
EXPECTED_GROUPS = {
    "评审专家": (roles.REVIEWER, REVIEWER_PERMISSIONS),
    "编辑": (roles.EDITOR, EDITOR_PERMISSIONS),
    "签审编辑": (roles.CHIEF, CHIEF_PERMISSIONS),
    "推荐单位": (roles.RECOMMENDER, RECOMMENDER_PERMISSIONS),
    "点评专家": (roles.COMMENTATOR, COMMENTATOR_PERMISSIONS),
}


@pytest.mark.django_db
def test_roles_come_from_a_migration():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    assert set(roles.PERMISSIONS) == {role for role, _perms in EXPECTED_GROUPS.values()}
    for name, (role, expected) in EXPECTED_GROUPS.items():
        assert roles.GROUP_NAMES[role] == name
        assert sorted(roles.PERMISSIONS[role]) == sorted(expected), role  # declared, without repeats
        held = {f"{p.content_type.app_label}.{p.codename}" for p in groups[name].permissions.all()}
        assert held == expected, name  # and what the migration gave the group
    assert Region.objects.count() == 17


@pytest.mark.django_db
def test_seed_demo_covers_the_loop_and_is_idempotent(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo", verbosity=0)
    counts = (Submission.objects.count(), Photo.objects.count(), Showcase.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Submission.objects.count(), Photo.objects.count(), Showcase.objects.count()) == counts
    assert counts[0] >= 20
    assert set(Submission.objects.values_list("status", flat=True)) == set(Status.values)
    assert Submission.objects.values("region").distinct().count() == 17
    assert Submission.objects.values("kind").distinct().count() == 3
    published = Showcase.objects.filter(state=Showcase.State.PUBLISHED)
    assert published.count() >= 2
    for article in published:
        assert article.sections.exists() and article.photos.exists() and article.links.exists()
        assert article.signed_off_by != article.responsible_editor
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/admin/login/")
    for username in ["admin", "editor", "chief", "reviewer"]:
        assert authenticate(request, username=username, password="demo-pass-123") is not None


@pytest.mark.django_db
def test_chinese_even_for_an_english_browser(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in html and "征集启事" in html
