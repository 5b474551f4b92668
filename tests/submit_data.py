"""Helpers for the submission tests: a complete valid entry as the form posts it, and test images."""

import io
import time

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from submissions.models import Region
from submissions.platform import abuse
from tests.factories import CampaignFactory


def started(seconds_ago=30):
    return signing.dumps(time.time() - seconds_ago, salt=abuse._SALT)


def image_bytes(size=(640, 480), color=(200, 30, 30), fmt="JPEG", **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def jpeg(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def entry_data(region, *, sections=2, photos=1, action="submit", **overrides):
    """The POST data of a complete, valid entry (photo files included as uploads)."""
    data = {
        "org_name": "山东高速股份有限公司济南收费站党支部",
        "org_parent": "山东高速股份有限公司党委",
        "org_type": "branch",
        "sector": "state_enterprise",
        "region": str(region.pk),
        "contact_name": "张三",
        "contact_phone": "13812345678",
        "contact_email": "zhangsan@example.com",
        "kind": "practice",
        "brand_name": "零距离",
        "brand_slogan": "服务零距离，温暖在身边",
        "brand_idea": "党员与群众心连心，服务零距离。",
        "introduction": "近年来，该党支部坚持党建引领，打造“零距离”品牌。",
        "results": "先后获得全省先进基层党组织称号。",
        "model_story": "",
        "consent": "on",
        "started": started(),
        "website": "",
        "action": action,
        "attachment_keys": "",
    }
    data.update(formset("sections", [{"heading": f"做法{i}", "body": f"一是……二是……（{i}）"} for i in range(1, sections + 1)]))
    data.update(formset("photos", [{"image": jpeg(f"p{i}.jpg"), "caption": f"活动照片{i}"} for i in range(1, photos + 1)]))
    data.update(overrides)
    return data


def formset(prefix, items, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(items)), f"{prefix}-INITIAL_FORMS": str(initial)}
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "9"
    for index, item in enumerate(items):
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        for name, value in item.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


# Fixtures shared by the submission tests (tests/conftest.py loads this module as a plugin).
@pytest.fixture
def quick_forms(settings):
    """Post guarded forms at once (the minimum fill time is for people)."""
    settings.FORM_MIN_SECONDS = 0


@pytest.fixture
def campaign():
    return CampaignFactory(slug="c2026")


@pytest.fixture
def region():
    return Region.objects.get(code="jinan")
