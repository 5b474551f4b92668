"""从 Word 导入: the document's own words for the entry's choice fields, matched to the choices.

The reader (submissions.platform.documents) gives kind, org_type, sector and region as written
(`党支部`, `国企`, `济南`); here each is matched by the choice's label or a synonym below (data:
add a synonym here) to the value the form takes. A word that matches nothing leaves the field
empty, with a notice for the submitter to choose; the other fields pass as they are.
"""

import re

from django.utils.translation import gettext as _

from submissions.intake.forms.messages import NAMES
from submissions.models import Kind, OrgType, Region, Sector

CHOICE_FIELDS = ("kind", "org_type", "sector", "region")
# value -> what documents write for it (after the choice's own label, compared without spaces)
SYNONYMS = {
    "kind": {
        Kind.PRACTICE: ("优秀做法", "党建优秀做法", "做法"),
        Kind.EXPERIENCE: ("典型经验", "党建典型经验", "经验"),
        Kind.PIONEER: ("先锋事迹", "党员先锋事迹", "先锋", "事迹"),
    },
    "org_type": {
        OrgType.COMMITTEE: ("党委", "基层党委", "党工委", "机关党委", "联合党委", "党委员会", "党组织委员会"),
        OrgType.GENERAL_BRANCH: ("党总支", "党总支部", "总支", "党总支部委员会"),
        OrgType.BRANCH: ("党支部", "支部", "基层党支部", "联合党支部", "党支部委员会", "功能型党支部"),
    },
    "sector": {
        Sector.GOVERNMENT: ("机关", "党政机关", "机关单位", "国家机关"),
        Sector.INSTITUTION: ("事业单位", "事业"),
        Sector.STATE_ENTERPRISE: ("国有企业", "国企", "国有控股企业", "国有及国有控股企业", "央企", "中央企业", "省属企业"),
        Sector.PRIVATE_ENTERPRISE: ("非公有制企业", "非公企业", "民营企业", "私营企业", "非公有制经济组织", "外资企业"),
        Sector.SOCIAL_ORG: ("社会组织", "新社会组织", "社会团体", "行业协会"),
        Sector.RURAL: ("农村", "村", "行政村", "乡村"),
        Sector.COMMUNITY: ("城市社区", "社区", "街道社区", "城市基层"),
        Sector.EDUCATION: ("学校", "高校", "高等学校", "中小学", "教育", "教育系统"),
        Sector.HEALTH: ("医疗卫生", "医院", "卫生", "卫生健康", "公立医院"),
        Sector.OTHER: ("其他",),
    },
}
_SPACE = re.compile(r"[\s\u3000]+")


def _key(text):
    return _SPACE.sub("", text or "").strip("：:。；;，,")


def match(name, text, campaign):
    """The choice value for the document's word (a Region's pk as text for region), or ""."""
    word = _key(text)
    if not word:
        return ""
    if name == "region":
        return _region(word, campaign)
    offered = set(campaign.kinds) if name == "kind" and campaign is not None else None  # the campaign's kinds only
    for value, synonyms in SYNONYMS[name].items():
        if (word == _key(str(value.label)) or word in synonyms) and (offered is None or value in offered):
            return str(value)
    return ""


def _region(word, campaign):
    regions = list(Region.objects.filter(province=campaign.province)) if campaign is not None else []
    short = word.removeprefix(campaign.province if campaign is not None else "").removesuffix("市")
    for region in regions:
        name = _key(region.name).removesuffix("市")
        if short == name or (len(name) >= 2 and short.endswith(name)):
            return str(region.pk)
    return ""


def values_of(fields, campaign):
    """(the document's fields with the choice fields matched, notices for those that matched nothing)."""
    values, notices = dict(fields), []
    for name in CHOICE_FIELDS:
        if not values.get(name):
            continue
        found = match(name, values[name], campaign)
        if not found:
            notices.append(
                _("文档中的“%(label)s”是“%(value)s”，不在可选项中，请从列表中选择。")
                % {"label": NAMES[name], "value": values[name][:30]}
            )
        values[name] = found
    return values, notices
