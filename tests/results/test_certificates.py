"""Issuing and revoking through the workflow, the numbers, the signed PDF and its validation."""

import re

import pytest

from submissions import workflow
from submissions.models import Certificate, CertificateStep, Status
from submissions.results import keys, pdf, services, signing
from submissions.workflow import roles
from tests.factories import CampaignFactory, make_user, submission_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user(roles.EDITOR, username="cert-editor")


@pytest.fixture
def chief():
    return make_user(roles.CHIEF, username="cert-chief")


def test_award_is_issued_through_the_workflow_with_a_yearly_number_and_a_signed_pdf(editor, committed):
    entry = submission_in(Status.ACCEPTED, org_name="中共济南市历下区委组织部", brand_name="红色历下")
    certificate = committed(services.issue_award, entry, actor=editor)
    certificate.refresh_from_db()
    year = certificate.issued_at.year
    assert certificate.number == f"DZRB-{year}-0001"
    assert certificate.state == "issued"
    assert certificate.recipient == "中共济南市历下区委组织部"
    assert "“红色历下”" in certificate.wording
    assert [(s.from_status, s.to_status, s.actor_role) for s in certificate.history.all()] == [("draft", "issued", "editor")]
    data = certificate.pdf.read()  # rendered by the "certificate_pdf" effect (tasks run at once in tests)
    assert data.startswith(b"%PDF-")
    assert signing.validate(data)
    second = services.issue_letter("thanks", entry.campaign, "张三", actor=editor)
    assert second.number == f"DZRB-{year}-0002"


def test_one_byte_altered_fails_the_signature(editor, committed):
    certificate = committed(services.issue_letter, "appointment", CampaignFactory(), "李四", actor=editor)
    data = Certificate.objects.get(pk=certificate.pk).pdf.read()
    assert signing.validate(data)
    altered = bytearray(data)
    altered[data.index(b"/Producer") + 12] ^= 0x01  # inside the signed range: the first revision's info
    assert not signing.validate(bytes(altered))


def test_pdf_embeds_chinese_fonts_and_the_qr_points_to_the_verification_page(editor, committed):
    certificate = committed(
        services.issue_letter, "thanks", CampaignFactory(title="第三届优秀党建品牌征集"), "王五", actor=editor
    )
    html = pdf.html(certificate, issuer="大众日报社")
    assert f"https://brand.example.cn/verify/{certificate.number}/" in html
    assert "data:image/svg+xml" in html
    data = Certificate.objects.get(pk=certificate.pk).pdf.read()
    assert re.search(rb"/Subtype\s*/OpenType", data)  # the CJK font embedded (a FontFile3 stream), not referred to by name


def test_revoking_needs_the_chief_and_a_reason(editor, chief):
    certificate = services.issue_letter("thanks", CampaignFactory(), "赵六", actor=editor)
    with pytest.raises(services.CertificateError):
        services.revoke(certificate, actor=editor, reason="重复颁发")
    with pytest.raises(services.CertificateError, match="原因"):
        services.revoke(certificate, actor=chief, reason="  ")
    services.revoke(certificate, actor=chief, reason="重复颁发")
    certificate.refresh_from_db()
    assert certificate.state == "revoked"
    assert certificate.revoked_reason == "重复颁发"
    assert certificate.revoked_at is not None
    assert list(certificate.history.values_list("to_status", "message")) == [("issued", ""), ("revoked", "重复颁发")]


def test_award_only_for_a_selected_entry_and_once(editor, chief):
    with pytest.raises(services.CertificateError, match="已采用或已发表"):
        services.issue_award(submission_in(Status.SHORTLISTED), actor=editor)
    entry = submission_in(Status.ACCEPTED)
    first = services.issue_award(entry, actor=editor)
    with pytest.raises(services.CertificateError, match="已有荣誉证书"):
        services.issue_award(entry, actor=editor)
    services.revoke(first, actor=chief, reason="单位名称有误")
    assert services.issue_award(entry, actor=editor).number != first.number  # a revoked award may be replaced


def test_issuing_without_a_signing_key_outside_debug_is_refused(settings, editor):
    settings.CERTIFICATE_SIGNING_KEY = settings.CERTIFICATE_SIGNING_CERT = ""
    settings.DEBUG = False
    with pytest.raises(services.CertificateError, match="未配置报社的签名证书"):
        services.issue_letter("thanks", CampaignFactory(), "孙七", actor=editor)
    assert not Certificate.objects.exists()
    assert [w.id for w in keys.deploy_check()] == ["results.W001"]


def test_a_refused_issue_leaves_no_row_and_no_gap(editor):
    reviewer = make_user(roles.REVIEWER, username="cert-reviewer")
    campaign = CampaignFactory()
    with pytest.raises(services.CertificateError):
        services.issue_letter("thanks", campaign, "周八", actor=reviewer)
    assert not Certificate.objects.exists() and not CertificateStep.objects.exists()
    assert services.issue_letter("thanks", campaign, "周八", actor=editor).number.endswith("-0001")


def test_the_machine_is_the_workflows():
    # Rendered and signed once issued; either move changes the campaign's results page (its numbers).
    assert workflow.EFFECTS["certificate", "draft", "issued"] == ("cache", "certificate_pdf")
    assert workflow.EFFECTS["certificate", "issued", "revoked"] == ("cache",)
