"""A published 公示 of accepted and published entries, made through the notice's services."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from submissions.models import PublicNotice, Status
from submissions.notice import services
from submissions.platform import abuse
from submissions.workflow import roles
from tests.factories import CampaignFactory, make_user, submission_in

START = date(2026, 9, 30)
DURING = date(2026, 10, 9)  # a Friday inside the notice's period (9-30 … 10-12)
AFTER = date(2026, 10, 13)


def notice_of(count=3, *, slug="notice-2026", start=START, publish=True):
    campaign = CampaignFactory(slug=slug)
    entries = [submission_in(Status.ACCEPTED, campaign=campaign) for _ in range(count)]
    notice = services.save(PublicNotice(campaign=campaign, title="2026年度优秀党建品牌拟入选名单公示", starts_on=start))
    services.save(notice, entries)
    if publish:
        services.publish(notice, make_user(roles.EDITOR, username="factory-editor"))
    notice.refresh_from_db()
    return notice


def png_upload(name="证据.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="证明.pdf", body=b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def objection_data(notice, **extra):
    item = notice.items.order_by("position").first()
    return {
        "item": item.pk,
        "name": "李四",
        "unit": "某市某区机关工委",
        "phone": "13900001111",
        "email": "lisi@example.com",
        "facts": "该单位报送的品牌材料中所列获奖情况与事实不符，相关表彰文件可查。",
        "pledge": "on",
        "started": abuse.stamp(),
        **extra,
    }
