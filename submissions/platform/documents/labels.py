"""The labels people write in a 申报表 (application form) and in labelled lines, as data: each field
of the practice with the labels that name it. The reader (structure.py, forms.py) compares a
label after `normalize` (spaces, line breaks, colons, asterisks and a note in brackets removed),
so `联 系\n电 话（手机）：` is `联系电话`. Add a synonym here, not in the reader.

SHORT fields are one line (the form layer matches kind, org_type, sector and region to its choices);
LONG fields are text of their own; SECTION labels name the practice itself (主要做法): their
answer becomes one section, or several when it carries numbered headings. A label that is none
of these is kept in 概述 as `label：value`.
"""

import re

SHORT = {
    "org_name": (
        "单位名称",
        "党组织名称",
        "党组织全称",
        "基层党组织名称",
        "申报单位",
        "推荐单位",
        "报送单位",
        "申报单位名称",
        "组织名称",
        "单位",
    ),
    "org_parent": ("上级党组织", "上级党组织名称", "主管党委", "上级党委", "主管党组织", "上级主管党组织"),
    "org_type": ("党组织类型", "组织类型", "党组织类别"),
    "region": ("所在市", "所在地市", "地市", "所在城市", "所属地市", "所在地区", "市"),
    "sector": ("所属领域", "领域", "行业领域", "所属行业"),
    "brand_name": ("品牌名称", "党建品牌名称", "党建品牌", "品牌"),
    "brand_slogan": ("品牌口号", "口号", "品牌标语", "宣传口号"),
    "contact_name": ("联系人", "联系人姓名", "联络人"),
    "contact_phone": ("联系电话", "手机", "手机号码", "手机号", "联系方式", "电话", "联系人电话"),
    "contact_email": ("电子邮箱", "邮箱", "e-mail", "email", "电子邮件", "联系邮箱"),
    "kind": ("报送类别", "申报类别", "报送类型", "申报类型", "类别"),
}
LONG = {
    "brand_idea": ("品牌内涵", "品牌理念", "品牌释义", "品牌内涵及释义"),
    "introduction": ("品牌简介", "基本情况", "概述", "简介", "品牌概况", "单位概况", "单位简介", "党组织简介", "总体情况"),
    "results": ("工作成效", "荣誉情况", "成效与荣誉", "取得成效", "主要成效", "所获荣誉", "工作成效及荣誉", "成效及荣誉"),
    "model_story": ("典型人物", "典型人物事迹", "先锋人物", "典型事迹", "先进典型", "人物风采"),
}
SECTION = ("主要做法", "具体做法", "特色做法", "经验做法", "品牌做法", "创建做法", "工作做法", "主要举措")

_NOTE = re.compile(r"[（(][^）)]{0,12}[）)]")
_SPACE = re.compile(r"[\s\u3000*＊:：]+")


def normalize(label):
    """The label as compared: no spaces or line breaks, no colon or asterisk, no note in brackets."""
    return _SPACE.sub("", _NOTE.sub("", label or "")).lower()


_FIELD = {normalize(label): name for table in (SHORT, LONG) for name, labels in table.items() for label in labels}
_FIELD.update({normalize(label): "section" for label in SECTION})


def tidy(label):
    """The label as shown back (in 概述, or as a section's heading): no spaces, colon or asterisk."""
    return _SPACE.sub("", label or "")


def field_of(label):
    """The field a label names ("section" for the practice's own sections), or None."""
    return _FIELD.get(normalize(label))


def is_short(name):
    return name in SHORT


FIELDS = [*SHORT, *LONG]
