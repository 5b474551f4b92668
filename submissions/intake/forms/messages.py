"""What the entry form says when a field needs attention: one table, beside the forms that use it.

Each message names the field and says how to put it right ("请填写联系人姓名。"), instead of
Django's generic "这个字段是必填项。". Forms set them with error_messages_for(name) (forms/entry.py,
forms/parts.py); the error summary at the top of the page names the fields with NAMES.
"""

from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# The field's name as the submitter sees it on the page (the summary's link text starts with it).
NAMES = {
    "org_name": _("党组织全称"),
    "org_parent": _("上级党组织"),
    "org_type": _("党组织类型"),
    "sector": _("所属领域"),
    "region": _("所在市"),
    "contact_name": _("联系人姓名"),
    "contact_phone": _("手机号码"),
    "contact_email": _("联系人邮箱"),
    "kind": _("报送类别"),
    "brand_name": _("品牌名称"),
    "brand_slogan": _("品牌口号"),
    "brand_idea": _("品牌内涵"),
    "introduction": _("概述"),
    "results": _("工作成效与荣誉"),
    "model_story": _("典型人物事迹"),
    "attachment_files": _("附件"),
    "consent": _("同意公开发表"),
    "heading": _("小标题"),
    "body": _("正文"),
    "image": _("图片"),
    "caption": _("图片说明"),
    "section": _("配在哪个做法章节之后"),
}

# "required": what to fill in, and how.
REQUIRED = {
    "org_name": _("请填写党组织全称，例如：XX股份有限公司XX收费站党支部。"),
    "org_type": _("请选择党组织类型（党委、党总支或党支部）。"),
    "sector": _("请选择党组织所属领域。"),
    "region": _("请选择党组织所在市。"),
    "contact_name": _("请填写联系人姓名。"),
    "contact_phone": _("请填写联系人手机号码，11 位数字，如 13812345678。"),
    "contact_email": _("请填写联系人邮箱，报送回执和查询链接将发送到这里。"),
    "kind": _("请选择报送类别。"),
    "brand_name": _("请填写品牌名称，一般为 2 至 6 个字，例如：零距离。"),
    "brand_idea": _("请填写品牌内涵：品牌名称的含义和背后的理念。"),
    "introduction": _("请填写概述：单位和品牌的总体介绍。"),
    "results": _("请填写工作成效与荣誉。"),
    "consent": _("请勾选“同意公开发表”，否则无法提交报送。"),
    "heading": _("请填写这一章节的小标题，例如：思想与理念零距离。"),
    "body": _("请填写这一章节的正文。"),
}

# "max_length": the field, its limit and how many characters it has now.
MAX_LENGTH = {
    "org_name": _("党组织全称最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "org_parent": _("上级党组织最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "contact_name": _("联系人姓名最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "contact_email": _("联系人邮箱最多 %(limit_value)d 个字符（现有 %(show_value)d 个），请检查。"),
    "brand_name": _("品牌名称最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "brand_slogan": _("品牌口号最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "brand_idea": _("品牌内涵最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "introduction": _("概述最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "results": _("工作成效与荣誉最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "model_story": _("典型人物事迹最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "heading": _("小标题最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
    "body": _("正文最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减或分成两个章节。"),
    "caption": _("图片说明最多 %(limit_value)d 个字（现有 %(show_value)d 个），请删减。"),
}

# "invalid_choice" / "invalid": a value that is not one of the choices, or not well formed.
INVALID_CHOICE = {
    "org_type": _("请从列表中选择党组织类型。"),
    "sector": _("请从列表中选择所属领域。"),
    "region": _("请从列表中选择所在市。"),
    "kind": _("请从本次征集的报送类别中选择一项。"),
    "section": _("请从列表中选择章节。"),
}
INVALID = {
    "contact_email": _("联系人邮箱的格式不对，请填写完整的地址，例如 name@example.com。"),
}
# The mobile number's own check (forms/entry.clean_mobile).
PHONE = _("手机号码应为 11 位数字，如 13812345678（可带空格或 +86）。")


def error_messages_for(name):
    """The error_messages of the field `name` (only the keys this table has)."""
    messages = {}
    for key, table in (("required", REQUIRED), ("max_length", MAX_LENGTH), ("invalid", INVALID)):
        if name in table:
            messages[key] = table[name]
    if name in INVALID_CHOICE:
        messages["invalid_choice"] = INVALID_CHOICE[name]
    return messages


def apply(form):
    """Set the table's messages on the form's fields (after the form has built them)."""
    for name, field in form.fields.items():
        messages = error_messages_for(name)
        field.error_messages.update(messages)
        if "max_length" in messages:  # the length check is a validator with its own message (shared: replaced)
            field.validators = [
                MaxLengthValidator(v.limit_value, message=messages["max_length"]) if isinstance(v, MaxLengthValidator) else v
                for v in field.validators
            ]


# A photo item's own checks (forms/parts.PhotoForm).
PHOTO_CAPTION = _("请填写图片说明，一句话说明照片里的活动或场景。")
PHOTO_MISSING = _("请选择这张图片，或删除这一项的图片说明。")
