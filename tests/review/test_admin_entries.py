"""The entries list and the entry's page in the admin, for editors, reviewers and strangers."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.models import Region, Stage, Status, Submission
from submissions.review import scoring as reviews
from tests.factories import SubmissionFactory, add_photo, assign, make_user, review, submission_in

S = Status
LIST = reverse("admin:submissions_submission_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def change_url(entry):
    return reverse("admin:submissions_submission_change", args=[entry.pk])


def list_queries(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
def test_list_shows_the_columns_and_a_thumbnail(client, editor):
    entry = submission_in(S.FIRST_REVIEW, org_name="泉城示范收费站党支部", brand_name="零距离")
    add_photo(entry)
    full_marks = {c: c.max_score for c in entry.campaign.criteria.all()}
    reviews.save_review(entry, make_user("reviewer", username="r1"), Stage.FIRST, full_marks)
    client.force_login(editor)
    _n, response = list_queries(client)
    html = response.content.decode()
    for text in (entry.reference, "泉城示范收费站党支部", "零距离", "党建优秀做法", "济南", "初审中", "100.00"):
        assert text in html
    assert 'class="entry-thumb"' in html and "/media/photos/" in html
    assert "/admin/intake/" in html  # the e-mail intake page of the editors


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_entries(client, editor):
    client.force_login(editor)
    for index in range(10):
        entry = SubmissionFactory(sections=0)
        if index < 3:
            add_photo(entry)
    list_queries(client)  # warm the caches (site settings) that every page shares
    small, _r = list_queries(client)
    SubmissionFactory.create_batch(190, sections=0)
    large, response = list_queries(client)
    assert Submission.objects.count() == 200
    assert small == large <= 12
    assert response.context["cl"].result_count == 200


@pytest.mark.django_db
def test_filters_and_search(client, editor):
    qingdao = Region.objects.filter(name="青岛").first() or Region.objects.create(code="qingdao", name="青岛", order=2)
    a = submission_in(S.FIRST_REVIEW, org_name="港湾社区党委", brand_name="红帆领航", contact_name="李四", region=qingdao)
    b = submission_in(S.SUBMITTED, org_name="李家庄村党支部", brand_name="田埂课堂", kind="pioneer", sector="rural")
    client.force_login(editor)

    def refs(**params):
        _n, response = list_queries(client, **params)
        return {e.reference for e in response.context["cl"].result_list}

    assert refs(q="红帆") == {a.reference}
    assert refs(q="李四") == {a.reference}
    assert refs(q=b.reference) == {b.reference}
    assert refs(q="李家庄") == {b.reference}
    assert refs(status__exact=S.SUBMITTED) == {b.reference}
    assert refs(kind__exact="pioneer") == {b.reference}
    assert refs(region__id__exact=qingdao.pk) == {a.reference}
    assert refs(sector__exact="rural") == {b.reference}
    assert refs(campaign__id__exact=a.campaign_id) == {a.reference, b.reference}
    Submission.objects.filter(pk=a.pk).update(score=85)
    assert refs(score_band="80") == {a.reference}
    assert refs(score_band="none") == {b.reference}


def test_entry_page_reads_like_the_entry_with_history_reviews_and_moves(client, editor, django_assert_max_num_queries):
    entry = submission_in(S.FIRST_REVIEW, sections=3)
    add_photo(entry, caption="主题党日活动")
    reviewer = make_user("reviewer", username="r1")
    assign(entry, reviewer)
    review(entry, reviewer, comment="做法扎实，可推广")
    client.force_login(editor)
    with django_assert_max_num_queries(45):
        response = client.get(change_url(entry))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("做法1", "做法3", "主题党日活动", "办理记录", "已报送", "做法扎实，可推广", entry.brand_display):
        assert text in html
    moves = {m.to for m in response.context["moves"]}
    assert moves == {S.SECOND_REVIEW, S.RETURNED, S.DECLINED}
    assert html.count('name="to"') == 3
    assert html.count('name="message"') == 2  # returning and declining ask for the submitter's message


@pytest.mark.django_db
def test_transition_from_the_entry_page(client, editor, django_capture_on_commit_callbacks):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    url = reverse("admin:submissions_submission_transition", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"to": S.RETURNED, "from_status": S.SUBMITTED, "message": "请补充照片"}, follow=True)
    entry.refresh_from_db()
    assert entry.status == S.RETURNED
    assert entry.history.last().message == "请补充照片"
    assert entry.messages.filter(event="returned", body__contains="请补充照片").exists()
    assert "已办理" in response.content.decode()


@pytest.mark.django_db
def test_refused_transition_is_an_admin_message_never_a_500(client, editor):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    url = reverse("admin:submissions_submission_transition", args=[entry.pk])
    response = client.post(url, {"to": S.DECLINED, "from_status": S.SUBMITTED, "message": ""}, follow=True)
    assert response.status_code == 200
    assert "请填写说明" in response.content.decode()
    response = client.post(url, {"to": S.PUBLISHED, "from_status": S.SUBMITTED}, follow=True)
    assert "不能从" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED


@pytest.mark.django_db
def test_two_editors_on_the_entry_page_the_second_is_told(client, editor, chief):
    entry = submission_in(S.SUBMITTED)
    url = reverse("admin:submissions_submission_transition", args=[entry.pk])
    client.force_login(editor)
    client.post(url, {"to": S.FIRST_REVIEW, "from_status": S.SUBMITTED})
    client.force_login(chief)  # loaded the page while it was still "submitted"
    response = client.post(url, {"to": S.DECLINED, "from_status": S.SUBMITTED, "message": "不符合"}, follow=True)
    assert "刚刚已被他人处理" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == S.FIRST_REVIEW
    assert entry.history.count() == 2


def edit_data(response, **changes):
    """The change form's current values, as the browser would send them back."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    data["consent"] = "on" if data.get("consent") else ""
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update({f"{fs.prefix}-TOTAL_FORMS": len(fs.forms), f"{fs.prefix}-INITIAL_FORMS": fs.initial_form_count()})
        data.update({f"{fs.prefix}-MIN_NUM_FORMS": 0, f"{fs.prefix}-MAX_NUM_FORMS": 1000})
        for form_ in fs.forms:
            for name in form_.fields:
                value = form_[name].value()
                if value not in (None, "") and not hasattr(value, "url"):
                    data[form_.add_prefix(name)] = value.pk if hasattr(value, "pk") else value
    data.update(changes)
    return data


@pytest.mark.django_db
def test_concurrent_plain_edits_the_second_is_refused_and_nothing_overwritten(client, editor, chief):
    entry = submission_in(S.FIRST_REVIEW)
    client.force_login(editor)
    first_form = client.get(change_url(entry))
    client.force_login(chief)
    second_form = client.get(change_url(entry))
    client.force_login(editor)
    response = client.post(change_url(entry), edit_data(first_form, brand_slogan="第一位编辑的口号"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.force_login(chief)
    response = client.post(change_url(entry), edit_data(second_form, brand_slogan="第二位编辑的口号"))
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert "第二位编辑的口号" in response.content.decode()  # what they typed is still in the form
    entry.refresh_from_db()
    assert entry.brand_slogan == "第一位编辑的口号"
    edit = entry.edits.first()
    assert edit.history_user == editor and edit.brand_slogan == "第一位编辑的口号"  # the audit trail


@pytest.mark.django_db
def test_a_transition_after_the_page_was_opened_refuses_the_stale_edit(client, editor):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    opened = client.get(change_url(entry))
    from submissions import workflow

    workflow.transition(entry, S.FIRST_REVIEW, actor=editor)
    response = client.post(change_url(entry), edit_data(opened, brand_slogan="旧页面的修改"))
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    entry.refresh_from_db()
    assert entry.brand_slogan != "旧页面的修改" and entry.status == S.FIRST_REVIEW


@pytest.mark.django_db
def test_the_version_the_page_was_opened_at_is_a_hidden_input_of_the_form_without_a_label(client, editor):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    html = client.get(change_url(entry)).content.decode()
    form = html[html.index('<form enctype="multipart/form-data" method="post" id="submission_form"') :]
    form = form[: form.index("</form>")]
    assert f'<input type="hidden" name="seen_version" value="{entry.version}" id="id_seen_version">' in form
    assert html.count('name="seen_version"') == 1 and 'for="id_seen_version"' not in html


@pytest.mark.django_db
def test_nobody_without_a_role_reaches_the_admin(client):
    stranger = make_user(None, username="stranger", is_staff=True)
    client.force_login(stranger)
    response = client.get(LIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_reviewer_cannot_edit_or_run_the_workflow(client, reviewer):
    entry = submission_in(S.FIRST_REVIEW)
    assign(entry, reviewer, Stage.FIRST)
    client.force_login(reviewer)
    url = reverse("admin:submissions_submission_transition", args=[entry.pk])
    assert client.post(url, {"to": S.SECOND_REVIEW, "from_status": S.FIRST_REVIEW}).status_code == 403
    response = client.post(change_url(entry), {"brand_slogan": "评审改的"})
    assert response.status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.status == S.FIRST_REVIEW and entry.brand_slogan != "评审改的"
    response = client.post(LIST, {"action": "shortlist", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.status == S.FIRST_REVIEW
    assert client.get(reverse("admin:submissions_submission_history", args=[entry.pk])).status_code == 403


@pytest.mark.django_db
def test_search_is_served_by_trigram_indexes_on_postgres(client, editor):
    with connection.cursor() as cursor:
        indexes = {name for name in connection.introspection.get_constraints(cursor, "submissions_submission")}
    trigram = {f"sub_trgm_{c}" for c in ("reference", "org_name", "brand_name", "contact_name")}
    if connection.vendor != "postgresql":
        assert not trigram & indexes  # SQLite has no pg_trgm: the migration skips them
        return
    assert trigram <= indexes
    queryset = Submission.objects.filter(org_name__icontains="收费站").order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "sub_trgm_org_name" in plan


@pytest.mark.django_db
def test_a_status_filter_reads_its_page_off_an_index_in_list_order_on_postgres(client, editor):
    """No Sort of the entries, and no walk past the drafts (no submitted_at) before the matches.
    On SQLite (no such plan to read): the indexes are there and the list shows drafts last."""
    from submissions.admin.submission import SubmissionAdmin

    SubmissionFactory.create_batch(60, sections=0)  # drafts
    matching = [e.pk for e in SubmissionFactory.create_batch(SubmissionAdmin.list_per_page, sections=0)]  # a page
    Submission.objects.filter(pk__in=matching).update(status=S.FIRST_REVIEW, submitted_at=timezone.now())
    client.force_login(editor)
    page = client.get(LIST, {"status__exact": S.FIRST_REVIEW}).context["cl"].result_list
    assert sorted(entry.pk for entry in page) == sorted(matching)
    unfiltered = client.get(LIST).context["cl"].result_list
    assert [entry.pk for entry in unfiltered] == sorted(matching, reverse=True)  # newest submitted first, drafts after
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            indexes = set(connection.introspection.get_constraints(cursor, "submissions_submission"))
        assert {"sub_newest", "sub_status_newest"} <= indexes
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE submissions_submission")
        cursor.execute("SET LOCAL enable_sort = off")  # a sort is cheap at this size: ask whether one is needed at all
    plan = page.explain(analyze=True)
    assert not [line for line in plan.splitlines() if "Sort Key" in line and "submissions_submission." in line], plan
    assert sum(int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan)) < 60, plan


@pytest.mark.django_db
def test_entry_page_queries_do_not_grow_with_sections_photos_and_reviews(client, editor):
    small = submission_in(S.FIRST_REVIEW, sections=1)
    large = submission_in(S.FIRST_REVIEW, sections=6)
    for entry, n in ((small, 1), (large, 3)):  # one of each makes every prefetch run; then more must cost nothing
        for order in range(n):
            add_photo(entry, order=order)
            expert = make_user("reviewer", username=f"expert{order}")
            assign(entry, expert)
            reviews.save_review(entry, expert, Stage.FIRST, {c: 7 for c in entry.campaign.criteria.all()}, f"评语{order}")
    client.force_login(editor)
    client.get(change_url(small))
    counts = []
    for entry in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(change_url(entry))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert "评语2" in response.content.decode()


@pytest.mark.django_db
def test_plain_edits_are_in_the_entrys_history_page(client, editor):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    opened = client.get(change_url(entry))
    assert client.post(change_url(entry), edit_data(opened, brand_slogan="改过的口号")).status_code == 302
    history = client.get(reverse("admin:submissions_submission_history", args=[entry.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    assert "改过的口号" in html or "品牌口号" in html
    assert editor.username in html or editor.get_full_name() in html


@pytest.mark.django_db
def test_ranking_link_lists_scored_entries_by_weighted_average(client, editor):
    low, high, unscored = (submission_in(S.FIRST_REVIEW) for _ in range(3))
    expert = make_user("reviewer", username="expert")
    for entry, value in ((low, 4), (high, 9)):
        reviews.save_review(entry, expert, Stage.FIRST, {c: value for c in entry.campaign.criteria.all()})
    client.force_login(editor)
    page = client.get(LIST)
    rank_query = page.context["rank_query"]
    assert f'href="?{rank_query.replace("&", "&amp;")}"' in page.content.decode()
    ranked = client.get(f"{LIST}?{rank_query}").context["cl"].result_list
    assert [e.pk for e in ranked] == [high.pk, low.pk]
    assert unscored.pk not in [e.pk for e in ranked]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_rows_action_checkbox_is_djangos_own_html(language):
    """submissions.admin.listing.QuickActionCheckbox writes the checkbox without the widget
    templates; it must stay what Django's admin (and its select-all script) expects."""
    from django.contrib import admin
    from django.utils import translation

    from submissions.admin.listing import QuickActionCheckbox
    from submissions.models import Comment, OutboxMessage, Review

    entry = SubmissionFactory(org_name="“引号”<党支部> & 班组")
    for model in (Submission, Comment, Review, OutboxMessage):  # the lists that grow long
        assert isinstance(admin.site._registry[model], QuickActionCheckbox)
    model_admin = admin.site._registry[Submission]
    with translation.override(language):
        assert model_admin.action_checkbox(entry) == admin.ModelAdmin.action_checkbox(model_admin, entry)


@pytest.mark.django_db
def test_a_past_version_is_read_only_for_everyone_and_a_post_never_saves(client, editor, reviewer):
    """Issue 11, finding 6: the history page of an assigned entry showed a reviewer an editable
    form, and posting it ended in a 500 (select_for_update outside a transaction)."""
    entry = submission_in(Status.FIRST_REVIEW, org_name="原来的党支部")
    assign(entry, reviewer)
    version = entry.edits.order_by("history_id").first().history_id
    url = reverse("admin:submissions_submission_simple_history", args=[entry.pk, version])
    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "原来的党支部" in html and 'name="org_name"' not in html and 'name="brand_name"' not in html
    for user in (editor, reviewer):
        client.force_login(user)
        response = client.post(url, {"org_name": "改掉了", "seen_version": entry.version})
        assert response.status_code == 403
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    entry.refresh_from_db()
    assert entry.org_name == "原来的党支部"


@pytest.mark.django_db
def test_a_reviewer_cannot_sort_by_the_hidden_average(client, reviewer):
    entry = submission_in(Status.FIRST_REVIEW)
    assign(entry, reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("admin:submissions_submission_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    # The reviewer's columns: thumb 0, reference 1, organization 2, brand 3, kind 4, region 5,
    # status 6, my score 7, 加权平均分 8, 复制比 9. The hidden average (8) offers no sorting; the
    # overlap share (9) is theirs to see, so it may be sorted by.
    assert response.context["cl"].list_display[8] == "score_display"
    average_header = re.search(r'<th[^>]*class="[^"]*column-score_display[^"]*"[^>]*>(.*?)</th>', html, re.S)
    assert average_header is not None and "href" not in average_header.group(1)
    assert re.findall(r"\?o=([0-9.\-]+)", html) == ["1", "3", "4", "5", "6", "7", "9"]
    assert response.context["cl"].sortable_by is not None and "score_display" not in response.context["cl"].sortable_by
