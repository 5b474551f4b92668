"""The expert's focused page at both entrances: the signed link (valid, expired, rotated, tampered,
closed: a clear page, never a 500) and the expert's own account (another expert's request: 404); the
form's hostile treatment (oversized text refused next to the field with the text kept, a stale form
refused, rate-limited posts), the draft, the decline, and the page's query count."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from submissions.experts import links, services
from submissions.models import CommentaryStatus, OutboxMessage
from tests.experts.helpers import TEXT, expert, expert_account, requested

pytestmark = pytest.mark.django_db
S = CommentaryStatus


def link(request):
    return reverse("experts:write", args=[links.sign(request)])


def test_the_link_shows_the_entry_the_brief_and_the_form(client, django_assert_max_num_queries):
    request = requested()
    entry = request.submission
    entry.sections.create(order=99, heading="支部建在一线", body="党员先锋岗覆盖全部班组。")
    with django_assert_max_num_queries(10) as captured:  # the database cache's own reads and writes included
        response = client.get(link(request))
    own = [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert len(own) <= 3, own  # the request with its expert and entry, the sections, the site settings
    html = response.content.decode()
    assert response.status_code == 200
    assert entry.org_name in html and entry.brand_name in html and "支部建在一线" in html and "党员先锋岗覆盖全部班组。" in html
    assert "请从推广价值点评。" in html and "data-write-form" in html and "保存草稿" in html and "婉拒" in html
    assert entry.contact_email not in html and entry.contact_phone not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_the_expert_submits_through_the_link(client, django_capture_on_commit_callbacks):
    request = requested()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link(request), {"text": TEXT, "diagnosis": "建议量化成效。", "version": request.version, "action": "submit"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.WRITTEN and request.text == TEXT and request.diagnosis == "建议量化成效。"
    assert request.history.get().via == "expert_link"
    assert OutboxMessage.objects.filter(event="commentary_written").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "点评已提交" in page and "data-write-form" not in page and TEXT in page


def test_a_draft_is_kept_without_moving(client):
    request = requested()
    response = client.post(link(request), {"text": "先写一半", "diagnosis": "", "version": request.version, "action": "draft"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.REQUESTED and request.text == "先写一半"
    assert "先写一半" in client.get(link(request)).content.decode()


def test_an_oversized_commentary_is_refused_next_to_the_field_and_kept(client):
    request = requested()
    long_text = "长" * 1501
    response = client.post(
        link(request), {"text": long_text, "diagnosis": "诊断", "version": request.version, "action": "submit"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "data-text-error" in html and "1500" in html
    assert long_text in html and "诊断" in html  # nothing typed is lost
    request.refresh_from_db()
    assert request.status == S.REQUESTED and request.text == ""


@pytest.mark.parametrize(
    "data, marker",
    [
        ({"text": "", "diagnosis": "", "action": "submit"}, "data-text-error"),
        ({"text": "好", "diagnosis": "诊" * 501, "action": "submit"}, "data-diagnosis-error"),
        ({"text": "好", "diagnosis": "", "action": "nonsense"}, ""),
    ],
)
def test_bad_input_is_refused_without_a_500(client, data, marker):
    request = requested()
    response = client.post(link(request), {**data, "version": request.version})
    assert response.status_code == 400
    assert marker in response.content.decode()
    request.refresh_from_db()
    assert request.status == S.REQUESTED


def test_a_bad_version_field_is_refused_and_not_a_500(client):
    request = requested()
    response = client.post(link(request), {"text": TEXT, "version": "x" * 50, "action": "submit"})
    assert response.status_code == 400


def test_a_stale_form_is_refused_with_the_text_kept(client):
    request = requested()
    seen = request.version
    services.save_draft(request, "另一个窗口的草稿", "", seen)
    response = client.post(link(request), {"text": "我的新点评", "diagnosis": "", "version": seen, "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 409 and "刚刚更新" in html and "我的新点评" in html
    assert f'value="{request.version + 0}"' in html or 'name="version"' in html
    request.refresh_from_db()
    assert request.status == S.REQUESTED and request.text == "另一个窗口的草稿"


def test_withdrawn_while_typing_keeps_the_text_to_copy(client):
    request = requested()
    url = link(request)
    services.withdraw(request, request.requested_by, "版面调整")
    response = client.post(url, {"text": "我写好的点评", "version": request.version, "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 410 and "约稿已办结" in html  # the link closed: a clear page


def test_the_expert_declines_with_a_reason(client, django_capture_on_commit_callbacks):
    request = requested()
    refused = client.post(link(request), {"reason": "", "version": request.version, "action": "decline"})
    assert refused.status_code == 400 and "data-reason-error" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link(request), {"reason": "近期出差", "version": request.version, "action": "decline"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.DECLINED
    assert OutboxMessage.objects.filter(event="commentary_declined").count() == 1
    assert client.get(response["Location"]).status_code == 410  # the link is closed now, said clearly


def test_an_expired_link_says_so():
    request = requested(due_in=timedelta(days=1))
    signed = links.sign(request)
    assert links.open_link(signed)[1] is None
    later = request.due_at + links.LINK_GRACE + timedelta(minutes=1)
    assert links.open_link(signed, now=later)[1] == links.EXPIRED
    assert links.open_link(signed, now=later - timedelta(minutes=2))[1] is None


def test_an_expired_link_page(client):
    request = requested(due_in=timedelta(days=1))
    url = link(request)
    later = request.due_at + links.LINK_GRACE + timedelta(hours=1)
    with mock.patch("submissions.experts.links.timezone.now", return_value=later):
        response = client.get(url)
    assert response.status_code == 410 and "链接已过期" in response.content.decode()


def test_a_rotated_link_no_longer_opens(client, django_capture_on_commit_callbacks):
    request = requested()
    old = link(request)
    with django_capture_on_commit_callbacks(execute=True):
        services.rotate_link(request)
    assert client.get(old).status_code == 404
    assert "链接无效" in client.get(old).content.decode()
    assert client.get(link(request)).status_code == 200
    assert OutboxMessage.objects.filter(event="commentary_requested").count() == 1  # the new link, mailed


@pytest.mark.parametrize(
    "mangle", [lambda s: s[:-2] + "xx", lambda s: "a" * 300, lambda s: "not-signed", lambda s: s.replace(":", "%3A", 1)]
)
def test_a_tampered_link_is_a_clear_404(client, mangle):
    request = requested()
    response = client.get(reverse("experts:write", args=[mangle(links.sign(request))]))
    assert response.status_code == 404 and "链接无效" in response.content.decode()


def test_a_link_signed_for_another_purpose_does_not_open():
    from django.core import signing

    request = requested()
    forged = signing.dumps({"r": request.pk, "s": request.link_secret}, salt="another.salt")
    assert links.open_link(forged) == (None, links.BAD)


def test_the_link_posts_are_rate_limited(client):
    from submissions.experts import views

    request = requested()
    url = link(request)
    statuses = [client.post(url, {"text": "", "version": request.version}).status_code for _ in range(views.POST_LIMIT + 1)]
    assert statuses[-1] == 429 and "频繁" in client.post(url, {"text": "写到一半"}).content.decode()


# The account's entrance ---------------------------------------------------------------------------


def signed_in_expert(client, username="expert-chen", slug="chen-ming"):
    account = expert_account(username)
    found = expert(slug, account=account)
    client.force_login(account)
    return account, found


def test_the_signed_in_expert_writes_their_own_request(client, django_assert_max_num_queries):
    account, own = signed_in_expert(client)
    request = requested(who=own)
    url = reverse("experts:request", args=[request.pk])
    with django_assert_max_num_queries(14) as captured:
        assert client.get(url).status_code == 200
    own = [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert len(own) <= 5, own  # the session, the user, the request, the sections, the site settings
    response = client.post(url, {"text": TEXT, "version": request.version, "action": "submit"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.WRITTEN and request.history.get().actor == account
    mine = client.get(reverse("experts:mine")).content.decode()
    assert request.submission.brand_name in mine


def test_another_experts_request_is_404_and_anonymous_is_sent_to_login(client):
    signed_in_expert(client)
    other = requested(who=expert("li-er", "李二"))
    assert client.get(reverse("experts:request", args=[other.pk])).status_code == 404
    assert client.post(reverse("experts:request", args=[other.pk]), {"text": TEXT, "version": other.version}).status_code == 404
    client.logout()
    response = client.get(reverse("experts:request", args=[other.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("experts:login"))
    other.refresh_from_db()
    assert other.status == S.REQUESTED


def test_the_experts_account_cannot_enter_the_admin(client):
    signed_in_expert(client)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_editor_signed_in_is_not_the_expert(client, editor):
    request = requested()
    client.force_login(editor)
    assert client.get(reverse("experts:request", args=[request.pk])).status_code == 404


def test_the_due_date_is_shown_in_beijing_time(client):
    request = requested()
    shown = timezone.localtime(request.due_at).strftime("%H:%M")
    assert shown in client.get(link(request)).content.decode()


def test_the_experts_own_list_runs_constant_queries(client, django_assert_max_num_queries):
    _account, own = signed_in_expert(client)
    requested(who=own)
    client.get(reverse("experts:mine"))  # the site settings cached, as on every later page
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("experts:mine"))
    for _ in range(3):
        requested(who=own)
    with django_assert_max_num_queries(10) as four:
        html = client.get(reverse("experts:mine")).content.decode()
    assert html.count('href="/experts/request/') == 4

    def own(captured):
        return [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]

    assert len(own(one)) == len(own(four)) <= 3, own(four)  # the session, the user, the requests with their entries
