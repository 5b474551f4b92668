"""The public submission form: every field's checks, with the message next to the field, and nothing lost."""

import pytest
from django.urls import reverse

from submissions.intake.forms.entry import clean_mobile
from submissions.models import Attachment, Photo, Region, Section, Status, Submission
from tests import docx_corpus as corpus
from tests import hostile_attachments
from tests.factories import CampaignFactory
from tests.submit_data import entry_data, formset, image_bytes, started

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(quick_forms):
    pass


def post(client, campaign, data):
    return client.post(reverse("calls:submit", args=[campaign.slug]), data)


def errors_of(response):
    bundle = response.context["bundle"]
    return bundle.form.errors, bundle.sections, bundle.photos


def test_a_complete_entry_is_stored_and_sent_in(client, campaign, region, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, campaign, entry_data(region, sections=3, photos=2))
    entry = Submission.objects.get()
    assert response.status_code == 302 and response.url == reverse("track:receipt", args=[entry.tracking_token])
    assert entry.status == Status.SUBMITTED and entry.reference and entry.submitted_at
    assert entry.sections.count() == 3 and entry.photos.count() == 2
    assert not entry.via_email and entry.entered_by is None
    assert set(entry.messages.values_list("event", flat=True)) == {"received", "mailbox_notice"}
    receipt = next(mail for mail in mailoutbox if mail.to == ["zhangsan@example.com"])
    assert entry.reference in receipt.subject and entry.tracking_token in receipt.body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("org_name", "", "请填写党组织全称"),
        ("org_name", "党" * 101, "党组织全称最多 100 个字（现有 101 个）"),
        ("org_parent", "党" * 101, "100"),
        ("org_type", "", "请选择党组织类型"),
        ("org_type", "bogus", "请从列表中选择党组织类型"),
        ("sector", "", "请选择党组织所属领域"),
        ("sector", "bogus", "请从列表中选择所属领域"),
        ("region", "", "请选择党组织所在市"),
        ("region", "999999", "请从列表中选择所在市"),
        ("contact_name", "", "请填写联系人姓名"),
        ("contact_name", "张" * 31, "30"),
        ("contact_phone", "", "请填写联系人手机号码"),
        ("contact_phone", "1381234567", "手机号码应为 11 位数字"),
        ("contact_phone", "12812345678", "手机号码"),
        ("contact_phone", "0531-88888888", "手机号码"),
        ("contact_phone", "138123456789", "手机号码"),
        ("contact_email", "", "请填写联系人邮箱"),
        ("contact_email", "not-an-address", "联系人邮箱的格式不对"),
        ("kind", "", "请选择报送类别"),
        ("kind", "unknown", "报送类别"),
        ("brand_name", "", "请填写品牌名称"),
        ("brand_name", "品" * 21, "品牌名称最多 20 个字"),
        ("brand_slogan", "口" * 61, "60"),
        ("brand_idea", "", "请填写品牌内涵"),
        ("brand_idea", "内" * 1001, "1000"),
        ("introduction", "", "请填写概述"),
        ("introduction", "概" * 2001, "2000"),
        ("results", "", "请填写工作成效与荣誉"),
        ("results", "成" * 3001, "3000"),
        ("model_story", "事" * 3001, "3000"),
    ],
)
def test_each_field_is_checked_with_a_message_next_to_it(client, campaign, region, field, value, message):
    data = entry_data(region)
    data[field] = value
    response = post(client, campaign, data)
    assert response.status_code == 200
    form_errors, _sections, _photos = errors_of(response)
    assert field in form_errors, form_errors
    assert message in " ".join(form_errors[field]), form_errors[field]
    assert Submission.objects.count() == 0
    html = response.content.decode()
    assert f'id="error_1_id_{field}"' in html or "invalid-feedback" in html


def test_consent_is_required_to_submit(client, campaign, region):
    data = entry_data(region)
    del data["consent"]
    form_errors, _s, _p = errors_of(post(client, campaign, data))
    assert "consent" in form_errors


def test_kind_must_be_one_the_campaign_calls_for(client, region):
    campaign = CampaignFactory(slug="pioneers", kinds=["pioneer"])
    form_errors, _s, _p = errors_of(post(client, campaign, entry_data(region, kind="practice")))
    assert "kind" in form_errors


def test_region_must_be_in_the_campaigns_province(client, campaign):
    elsewhere = Region.objects.create(province="河北省", code="shijiazhuang", name="石家庄")
    form_errors, _s, _p = errors_of(post(client, campaign, entry_data(elsewhere)))
    assert "region" in form_errors


def test_mobile_numbers_are_normalised():
    assert clean_mobile("138 1234 5678") == "13812345678"
    assert clean_mobile("+86 138-1234-5678") == "13812345678"
    assert clean_mobile("8613812345678") == "13812345678"


def test_sections_one_to_eight_each_with_heading_and_body(client, campaign, region):
    _f, sections, _p = errors_of(post(client, campaign, entry_data(region, sections=0)))
    assert "至少填写 1 个做法章节" in " ".join(sections.non_form_errors())
    data = entry_data(region, sections=9)
    _f, sections, _p = errors_of(post(client, campaign, data))
    assert "最多" in " ".join(sections.non_form_errors())
    data = entry_data(region, **{"sections-0-heading": ""})
    _f, sections, _p = errors_of(post(client, campaign, data))
    assert "heading" in sections.forms[0].errors
    data = entry_data(region, **{"sections-1-heading": "标" * 41, "sections-1-body": "文" * 5001})
    _f, sections, _p = errors_of(post(client, campaign, data))
    assert set(sections.forms[1].errors) == {"heading", "body"}
    assert Section.objects.count() == 0


def test_sections_follow_the_page_order_and_deleted_ones_are_dropped(client, campaign, region):
    items = [{"heading": "甲", "body": "1"}, {"heading": "乙", "body": "2"}, {"heading": "丙", "body": "3"}]
    data = entry_data(region, **formset("sections", items))
    data.update({"sections-0-ORDER": "3", "sections-1-ORDER": "1", "sections-2-ORDER": "2", "sections-2-DELETE": "on"})
    assert post(client, campaign, data).status_code == 302
    assert list(Submission.objects.get().sections.values_list("heading", "order")) == [("乙", 1), ("甲", 2)]


def test_photos_one_to_nine_each_with_a_caption(client, campaign, region):
    _f, _s, photos = errors_of(post(client, campaign, entry_data(region, photos=0)))
    assert "至少上传 1 张图片" in " ".join(photos.non_form_errors())
    _f, _s, photos = errors_of(post(client, campaign, entry_data(region, photos=10)))
    assert photos.non_form_errors()
    _f, _s, photos = errors_of(post(client, campaign, entry_data(region, **{"photos-0-caption": ""})))
    assert "请填写图片说明" in photos.forms[0].errors["caption"][0]
    data = entry_data(region, photos=1, **{"photos-0-image": "", "photos-0-caption": "只有说明"})
    _f, _s, photos = errors_of(post(client, campaign, data))
    assert "image" in photos.forms[0].errors


def test_a_bad_photo_is_refused_next_to_its_field(client, campaign, region):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", image_bytes(fmt="GIF"), content_type="image/jpeg")
    _f, _s, photos = errors_of(post(client, campaign, entry_data(region, **{"photos-0-image": bad})))
    assert "JPG、PNG 或 WebP" in photos.forms[0].errors["image"][0]


def test_nothing_is_lost_when_the_page_is_refused(client, campaign, region):
    data = entry_data(region, photos=2, contact_phone="123")
    response = post(client, campaign, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "零距离" in html and "党员与群众心连心" in html and "做法2" in html
    staged = list(Photo.objects.filter(submission__isnull=True).order_by("pk"))
    assert len(staged) == 2 and all(photo.upload_key in html for photo in staged)
    thumb = reverse("calls:staged_photo", args=[staged[0].upload_key])
    assert thumb in html
    served = client.get(thumb)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    # Corrected, sent again without the files: the staged photos are used.
    again = response.context["bundle"].data.dict()
    again.update({"contact_phone": "13812345678", "photos-0-image": "", "photos-1-image": ""})
    assert post(client, campaign, again).status_code == 302
    entry = Submission.objects.get()
    assert sorted(entry.photos.values_list("pk", flat=True)) == [p.pk for p in staged]
    assert not Photo.objects.filter(submission__isnull=True).exists()


def test_a_staged_photo_is_only_reachable_by_its_key(client, campaign, region):
    post(client, campaign, entry_data(region, contact_phone="1"))
    assert client.get(reverse("calls:staged_photo", args=["not-a-key"])).status_code == 404


def test_a_forged_photo_key_is_refused(client, campaign, region):
    from tests.factories import SubmissionFactory, add_photo

    other = add_photo(SubmissionFactory())
    other.upload_key = "someone-elses-photo"
    other.save()
    data = entry_data(region, photos=1, **{"photos-0-image": "", "photos-0-key": "someone-elses-photo"})
    _f, _s, photos = errors_of(post(client, campaign, data))
    assert "失效" in photos.forms[0].errors["image"][0]
    assert Photo.objects.get(pk=other.pk).submission_id == other.submission_id


def test_attachments_are_judged_by_content(client, campaign, region):
    from django.core.files.uploadedfile import SimpleUploadedFile as F

    files = [
        F("材料.pdf", b"%PDF-1.4\n%...\n%%EOF", content_type="application/pdf"),
        F("说明.docx", corpus.build(corpus.CASES[0]), content_type="application/octet-stream"),
        F("旧版.doc", hostile_attachments.doc_file(), content_type="application/msword"),  # real ones: judged by content
    ]
    assert post(client, campaign, entry_data(region, attachment_files=files)).status_code == 302
    stored = Submission.objects.get().attachments.order_by("pk")
    assert [(a.original_name, a.content_type) for a in stored] == [
        ("材料.pdf", "application/pdf"),
        ("说明.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("旧版.doc", "application/msword"),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.pdf", b"<html><script>alert(1)</script>"),
        ("archive.docx", b"PK\x03\x04not really a zip"),
        ("photo.doc", image_bytes()),
        ("empty.pdf", b""),
    ],
)
def test_attachments_that_are_not_pdf_or_word_are_refused(client, campaign, region, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile as F

    data = entry_data(region, attachment_files=[F(name, content)])
    form_errors, _s, _p = errors_of(post(client, campaign, data))
    assert "attachment_files" in form_errors
    assert not Attachment.objects.exists()


def test_attachment_size_limit(client, campaign, region, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile as F

    from submissions.intake.forms import uploads

    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 100)
    form_errors, _s, _p = errors_of(
        post(client, campaign, entry_data(region, attachment_files=[F("a.pdf", b"%PDF-" + b"0" * 200)]))
    )
    assert "20 MB" in form_errors["attachment_files"][0]


def test_good_attachment_is_kept_when_another_field_is_wrong(client, campaign, region):
    from django.core.files.uploadedfile import SimpleUploadedFile as F

    response = post(client, campaign, entry_data(region, contact_email="x", attachment_files=[F("a.pdf", b"%PDF-1.7 ...")]))
    staged = Attachment.objects.get(submission__isnull=True)
    assert staged.upload_key in response.content.decode() and "a.pdf" in response.content.decode()


def test_honeypot_and_too_fast(client, campaign, region, settings):
    response = post(client, campaign, entry_data(region, website="http://spam.example"))
    assert "刷新" in " ".join(response.context["form"].non_field_errors())
    settings.FORM_MIN_SECONDS = 3
    response = post(client, campaign, entry_data(region, started=started(0)))
    assert "太快" in " ".join(response.context["form"].non_field_errors())
    assert Submission.objects.count() == 0


def test_rate_limit_on_new_entries_per_ip(client, campaign, region):
    for number in range(5):
        data = entry_data(region, brand_name=f"品牌{number}")
        assert post(client, campaign, data).status_code == 302
    response = post(client, campaign, entry_data(region, brand_name="第六个"))
    assert response.status_code == 429
    assert "分钟后再试" in response.content.decode()
    assert Submission.objects.count() == 5
    other_ip = client.post(
        reverse("calls:submit", args=[campaign.slug]), entry_data(region, brand_name="别处"), REMOTE_ADDR="10.9.9.9"
    )
    assert other_ip.status_code == 302


def test_the_entry_rate_limit_comes_from_settings_and_0_turns_it_off(client, campaign, region, settings):
    settings.SUBMIT_RATE_LIMIT = 2
    assert [post(client, campaign, entry_data(region, brand_name=f"甲{n}")).status_code for n in range(3)] == [302, 302, 429]
    settings.SUBMIT_RATE_LIMIT = 0  # e.g. the load test, whose clients all come from 127.0.0.1
    assert [post(client, campaign, entry_data(region, brand_name=f"乙{n}")).status_code for n in range(6)] == [302] * 6
    assert Submission.objects.count() == 8


def test_duplicate_brand_is_told_with_the_way_to_the_first_entry(client, campaign, region):
    assert post(client, campaign, entry_data(region)).status_code == 302
    first = Submission.objects.get()
    response = post(
        client, campaign, entry_data(region, brand_name="“零 距 离”", org_name="山东高速股份有限公司 济南收费站党支部")
    )
    html = response.content.decode()
    assert response.status_code == 200 and Submission.objects.count() == 1
    assert first.reference in html and reverse("track:lookup") in html
    assert first.tracking_token not in html
    # Another campaign may take the same brand.
    assert post(client, CampaignFactory(slug="next-year"), entry_data(region)).status_code == 302


def test_closed_campaign_takes_no_entries(client, region):
    from datetime import timedelta

    from django.utils import timezone

    closed = CampaignFactory(
        slug="old", opens_at=timezone.now() - timedelta(days=60), closes_at=timezone.now() - timedelta(days=1)
    )
    assert client.get(reverse("calls:submit", args=[closed.slug])).status_code == 403
    response = post(client, closed, entry_data(region))
    assert response.status_code == 403 and Submission.objects.count() == 0
    page = client.get(reverse("calls:detail", args=[closed.slug])).content.decode()
    assert reverse("calls:submit", args=[closed.slug]) not in page


def test_a_draft_is_saved_and_resumed_from_its_private_link(client, campaign, region):
    data = {k: v for k, v in entry_data(region, action="draft", photos=0, sections=0).items()}
    data.update({"brand_name": "", "introduction": "", "consent": "", "contact_phone": ""})
    response = post(client, campaign, data)
    draft = Submission.objects.get()
    assert draft.status == Status.DRAFT and draft.reference is None
    assert response.url == reverse("track:edit", args=[draft.tracking_token])
    message = draft.messages.get(event="draft_saved")
    assert reverse("track:edit", args=[draft.tracking_token]) in message.body
    page = client.get(response.url)
    assert page.status_code == 200 and draft.org_name in page.content.decode()
    complete = entry_data(region, **formset("sections", [{"heading": "甲", "body": "乙"}]))
    response = client.post(reverse("track:edit", args=[draft.tracking_token]), complete)
    assert response.url == reverse("track:receipt", args=[draft.tracking_token])
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.reference


def test_a_draft_needs_the_organization_and_an_address(client, campaign, region):
    response = post(
        client, campaign, {"action": "draft", "started": started(), **formset("sections", []), **formset("photos", [])}
    )
    form_errors, _s, _p = errors_of(response)
    assert {"org_name", "org_type", "sector", "region", "contact_email"} <= set(form_errors)
    assert "brand_name" not in form_errors


def test_call_page_says_what_and_how(client, campaign):
    html = client.get(reverse("calls:detail", args=[campaign.slug])).content.decode()
    for text in ("党建优秀做法", "党建典型经验", "党员先锋事迹", campaign.mailbox, reverse("calls:submit", args=[campaign.slug])):
        assert text in html


def test_query_counts_of_the_call_and_form_pages(client, campaign, django_assert_max_num_queries):
    from submissions.platform import pagecache

    client.get(reverse("calls:submit", args=[campaign.slug]))  # warm the site settings cache
    with django_assert_max_num_queries(12) as captured:  # cold: the database cache's reads and writes included
        assert client.get(reverse("calls:detail", args=[campaign.slug])).status_code == 200
    own = [q["sql"] for q in captured.captured_queries if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert len(own) <= 3, own  # the campaign, and the next time a call opens or closes (two)
    pagecache.local_pages.forget()
    with django_assert_max_num_queries(1):  # from the page cache: one read of the shared cache
        assert client.get(reverse("calls:detail", args=[campaign.slug])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("calls:submit", args=[campaign.slug])).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "submit", "sections-TOTAL_FORMS": "abc", "photos-TOTAL_FORMS": "-1"},
        {
            "action": "draft",
            "sections-TOTAL_FORMS": "1000",
            "sections-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "1000",
            "photos-INITIAL_FORMS": "0",
        },
        {
            "action": "submit",
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "0",
            "photos-0-key": "../../etc/passwd",
            "attachment_keys": "x y z",
        },
    ],
)
def test_garbage_is_answered_with_the_form_never_a_500(client, campaign, data):
    response = post(client, campaign, {"started": started(), **data})
    assert response.status_code == 200
    assert Submission.objects.count() == 0
    assert "还未提交成功" in response.content.decode()
