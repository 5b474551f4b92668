"""The head of a document: its title, the organization's line under it, labelled lines and a dash
slogan; and the captions of its pictures.

- `XX党支部：打造“零距离”党建品牌` gives the organization and the brand (the first quoted name).
- A campaign's own title gives no brand: one ending with 申报表 / 推荐表 / 报送表 / 登记表 …, or
  whose quoted name is followed by 优秀 / 征集 / 评选 … (`“齐鲁印初心”山东优秀党建品牌申报表`).
- A short line under the title naming an organization (ending with 党委 / 党支部 / 党总支 …, the
  署名 line of WPS documents) fills the organization; `单位：…` too, like every labelled line
  whose label labels.py knows.
"""

import re

from submissions.platform.documents import labels
from submissions.platform.documents.forms import read_form
from submissions.platform.documents.headings import clean

TITLE_STYLES = {"title", "subtitle", "标题", "副标题"}
QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{1,20})[”\"」』]")
TITLE = re.compile(
    r"^(?P<org>[^“\"「『]*?)\s*[：:—\-－]*\s*(?:打造|创建|建设|擦亮|叫响|创树|培育|铸就|深化|推进)?\s*[“\"「『](?P<brand>[^”\"」』\n]{1,20})[”\"」』]"
)
ORG_HINT = re.compile(r"(党委|党总支|党支部|党组|党工委|总支|支部|委员会)$")
FORM_TITLE = re.compile(r"(申报表|推荐表|报送表|登记表|申请表|汇总表|信息表|申报书|推荐书|申报材料)[）)]?$")
CAMPAIGN_AFTER = re.compile(r"^[”\"」』][^“\"「『]{0,12}?(优秀|征集|评选|推选|遴选|选树|大赛|示范)")
LABEL = re.compile(r"^(?P<label>[^：:\n]{1,12})[：:]\s*(?P<value>.*)$", re.S)
MAX_ORG_LINE = 40
CAPTION_START = re.compile(r"^(图\s*\d*\s*[：:为．.、]?|▲|△|↑|上图|下图|（图|\(图)")
CAPTION_MARKS = re.compile(
    r"^(?:[▲△▼▽↑↓●◆■★☆]+\s*|[（(]\s*图\s*\d*\s*[）)]\s*|图片\s*\d*\s*[：:．.、]?\s*|图\s*\d+\s*[：:．.、\-－—]?\s*|图\s*[：:]\s*)+"
)
MAX_CAPTION = 100
DASHES = ("——", "—", "－－", "--")


def parse_title(text):
    """(organization, brand) from a title line such as `XX党支部：打造“零距离”党建品牌`."""
    match = TITLE.match(text)
    if not match:
        return "", ""
    org = clean(match.group("org")).rstrip("：:—-－ ")
    return (org if ORG_HINT.search(org) else ""), clean(match.group("brand"))


def is_campaign_title(text):
    """A title naming the campaign or its form, not a brand."""
    if len(text) > 80 or "\n" in text:
        return False
    if FORM_TITLE.search(text):
        return True
    match = QUOTED.search(text)
    return bool(match and CAMPAIGN_AFTER.match(text[match.end() - 1 :]))


def label_line(text):
    """(field, value) of a labelled line such as `品牌名称：“零距离”` (a field labels.py knows), else (None, "")."""
    match = LABEL.match(text)
    if not match:
        return None, ""
    name = labels.field_of(match.group("label"))
    value = clean(match.group("value"))
    return name, (value.strip('“”"「」') if name == "brand_name" else value)


def _titled(block, _text=""):
    return block.bold or block.centred or block.style in TITLE_STYLES or block.level


def read_head(blocks, fields, guess):
    """The head's blocks (their indexes, consumed): labelled lines fill `fields`; what a title
    suggests (organization, brand) goes to `guess`, used only where nothing else fills the field."""
    consumed, titled = set(), False
    for index, block in enumerate(blocks[:10]):  # the head ends at the first block that is none of these
        text = clean(block.text)
        if block.table:
            if read_form(block) is not None:
                continue  # a form (申报表) in the head: read with the body
            break
        name, value = label_line(text)
        if name and labels.is_short(name) and value:
            fields.setdefault(name, value)
            consumed.add(index)
            continue
        if not block.pictures and not titled and is_campaign_title(text) and (_titled(block, text) or index == 0):
            titled = True
            consumed.add(index)
            continue
        if not titled and not block.pictures and QUOTED.search(text) and len(text) <= 80:
            org, brand = parse_title(text)
            if brand and (org or _titled(block, text)):
                titled = True
                if org:
                    guess.setdefault("org_name", org)
                guess.setdefault("brand_name", brand)
                consumed.add(index)
                continue
        if titled and index - 1 in consumed and text.startswith(DASHES):
            fields.setdefault("brand_slogan", clean(text.lstrip("—－-")))
            consumed.add(index)
            continue
        if titled and index - 1 in consumed and _org_line(text):
            guess["org_name"] = text
            consumed.add(index)
            continue
        if block.style in TITLE_STYLES and index <= 2:
            titled = titled or index == 0
            consumed.add(index)
            continue
        break
    return consumed


def _org_line(text):
    return len(text) <= MAX_ORG_LINE and ORG_HINT.search(text) and not re.search(r"[。，,；;：:]", text)


def fallback_brand(blocks):
    """The first quoted name near the top when nothing named the brand (not the campaign's)."""
    for block in blocks[:12]:
        text = clean(block.text)
        if block.table or is_campaign_title(text):
            continue
        match = QUOTED.search(text)
        if match:
            return clean(match.group(1))
    return ""


def is_caption(block):
    text = clean(block.text)
    if not text or block.table or block.pictures or len(text) > MAX_CAPTION:
        return False
    return block.caption_style or bool(CAPTION_START.match(text)) or (block.centred and len(text) <= 60)


def clean_caption(text):
    """A caption without its leading markers: ▲ △, 图1, 图1：, 图片：, （图） …"""
    text = clean(text)
    stripped = clean(CAPTION_MARKS.sub("", text))
    return (stripped or text)[:MAX_CAPTION]
