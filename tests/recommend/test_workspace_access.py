"""Who gets into the bodies' workspace, and what each of them is told: the body's own accounts and
editors in; anonymous to the workspace's login; anyone else 403; an entry of another area 404 on
every page and download of it (its existence is not confirmed)."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from tests.recommend.conftest import all_passed

pytestmark = pytest.mark.django_db

LOGIN = reverse("recommend:login")
INDEX = reverse("recommend:index")
ENTRY_PAGES = ["recommend:entry", "recommend:form", "recommend:scan"]
ENTRY_POSTS = ["recommend:check", "recommend:recommend", "recommend:decline", "recommend:scan_upload"]


def test_a_body_account_logs_in_on_the_workspace_page_and_lands_on_its_list(client, member):
    page = client.get(LOGIN)
    assert page.status_code == 200 and "推荐单位登录" in page.content.decode()
    response = client.post(LOGIN, {"username": "jn-account", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200
    assert not member.is_staff
    # Not the admin's: a body's account is no member of the newsroom.
    assert client.get("/admin/").status_code == 302


def test_a_wrong_password_shows_the_form_again_with_a_chinese_error(client, member):
    page = client.post(LOGIN, {"username": "jn-account", "password": "wrong-password"})
    assert page.status_code == 200
    assert "请输入一个正确的用户名和密码" in page.content.decode()
    assert 'value="jn-account"' in page.content.decode()  # what was typed is kept


def test_the_login_is_throttled_as_the_admins_is(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, {"username": "jn-account", "password": "nope"}, REMOTE_ADDR="203.0.113.9").status_code == 200
    locked = client.post(LOGIN, {"username": "jn-account", "password": "nope"}, REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    # Even the right password, while locked.
    right = client.post(LOGIN, {"username": "jn-account", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert right.status_code == 429


def test_the_next_page_is_kept_through_the_login(client, member, entry):
    target = reverse("recommend:entry", args=[entry.pk])
    response = client.get(target)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN + "?next=")
    logged_in = client.post(LOGIN + f"?next={target}", {"username": "jn-account", "password": PASSWORD, "next": target})
    assert logged_in["Location"] == target


def test_logout_is_a_post_and_leads_back_to_the_login(client, member):
    client.force_login(member)
    response = client.post(reverse("recommend:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get(INDEX).status_code == 302


def test_anonymous_is_sent_to_the_workspace_login_from_every_page(client, entry):
    for url in [INDEX, *(reverse(name, args=[entry.pk]) for name in ENTRY_PAGES)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url
    for name in ENTRY_POSTS:
        response = client.post(reverse(name, args=[entry.pk]), {"opinion": "同意", "reason": "不行"})
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), name
    entry.refresh_from_db()
    assert entry.status == "submitted"


@pytest.mark.parametrize("role", ["reviewer", None])
def test_a_reviewer_or_a_plain_account_is_refused_everywhere(client, entry, role):
    client.force_login(make_user(role, username=f"outsider-{role}"))
    assert client.get(INDEX).status_code == 403
    for name in ENTRY_PAGES:
        assert client.get(reverse(name, args=[entry.pk])).status_code in (403, 404), name
    for name in ENTRY_POSTS:
        assert client.post(reverse(name, args=[entry.pk]), all_passed(entry)).status_code in (403, 404), name
    entry.refresh_from_db()
    assert entry.status == "submitted" and not entry.eligibility_checks.exists()


def test_a_body_account_of_no_role_is_refused(client, body, entry):
    """Listed as a member of the body, but without the 推荐单位 role: the authority says no."""
    plain = make_user(None, username="no-role")
    body.members.add(plain)
    client.force_login(plain)
    assert client.get(INDEX).status_code == 403
    assert client.get(reverse("recommend:entry", args=[entry.pk])).status_code == 403


def test_another_areas_entry_does_not_exist_for_a_body(client, other_member, entry):
    client.force_login(other_member)
    assert client.get(INDEX).status_code == 200
    for name in ENTRY_PAGES:
        assert client.get(reverse(name, args=[entry.pk])).status_code == 404, name
    for name in ENTRY_POSTS:
        response = client.post(reverse(name, args=[entry.pk]), {**all_passed(entry), "opinion": "同意推荐", "reason": "不行"})
        assert response.status_code == 404, name
    entry.refresh_from_db()
    assert entry.status == "submitted" and not entry.eligibility_checks.exists()
    # Nor one that does not exist at all: the same answer.
    assert client.get(reverse("recommend:entry", args=[entry.pk + 1000])).status_code == 404


def test_the_bodys_own_entry_and_its_downloads_open(client, member, entry):
    client.force_login(member)
    assert client.get(reverse("recommend:entry", args=[entry.pk])).status_code == 200
    assert client.get(reverse("recommend:form", args=[entry.pk])).status_code == 200
    assert client.get(reverse("recommend:scan", args=[entry.pk])).status_code == 404  # nothing uploaded yet


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_editors_see_any_entry_of_the_workspace(client, entry, other_entry, role):
    client.force_login(make_user(role, username=f"newsroom-{role}"))
    assert client.get(INDEX).status_code == 200
    for item in (entry, other_entry):
        assert client.get(reverse("recommend:entry", args=[item.pk])).status_code == 200
        assert client.get(reverse("recommend:form", args=[item.pk])).status_code == 200


def test_pages_are_never_cached(client, member, entry):
    client.force_login(member)
    for url in (INDEX, reverse("recommend:entry", args=[entry.pk]), reverse("recommend:form", args=[entry.pk])):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_only_reading_methods_on_pages_and_only_posts_on_actions(client, member, entry):
    client.force_login(member)
    assert client.post(INDEX).status_code == 405
    assert client.post(reverse("recommend:entry", args=[entry.pk])).status_code == 405
    assert client.get(reverse("recommend:check", args=[entry.pk])).status_code == 405


def test_the_login_page_sends_a_workspace_account_on_and_lets_another_account_change(client, member):
    client.force_login(member)
    assert client.get(LOGIN)["Location"] == INDEX
    client.force_login(make_user("reviewer", username="ws-reviewer"))
    page = client.get(LOGIN)
    assert page.status_code == 200 and "不能使用推荐单位工作台" in page.content.decode()
    response = client.post(LOGIN, {"username": "jn-account", "password": PASSWORD})
    assert response["Location"] == INDEX and client.get(INDEX).status_code == 200
