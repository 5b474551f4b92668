"""Content of the demo campaign: fictional organizations, written by us for `seed_demo`."""

CALL_TEXT = (
    "为深入学习贯彻党的二十大精神，充分展示全省各级党组织抓党建促发展的生动实践，大众日报社联合省委党校"
    "（山东行政学院）面向全省开展“优秀党建品牌”征集展示活动。\n\n"
    "一、征集对象：全省各级党组织和广大党员。\n"
    "二、征集内容：党建优秀做法、党建典型经验、党员先锋事迹三类。\n"
    "三、报送要求：内容真实、重点突出，文字一般不超过 5000 字，并附 1 至 9 张反映工作场景的照片。\n"
    "四、报送方式：通过本平台网上报送，或发送至征集邮箱。\n"
    "五、展示方式：入选作品将在大众日报“优秀党建品牌巡展”栏目及客户端集中展示。"
)
EDITOR_NOTE = (
    "为深入学习贯彻党的二十大精神，大众日报社联合省委党校开展优秀党建品牌征集展示活动，"
    "集中展示全省各级党组织抓党建促发展的生动实践，推动形成比学赶超的浓厚氛围。"
    "本期展示的，是{organization}打造的{brand}党建品牌。"
)
STANDING_CALL = (
    "优秀党建品牌征集展示活动持续进行中。欢迎全省各级党组织围绕党建优秀做法、党建典型经验、党员先锋事迹报送作品。"
    "报送方式：登录本平台“我要报送”栏目在线填报，或发送至征集邮箱 djpp@example.com。"
)


def campaign_defaults(title, mailbox, *, opened_days_ago, closes_in_days):
    """Fields of a demo campaign (seed_demo and the benchmarks make theirs from this)."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return {
        "title": title,
        "call_text": CALL_TEXT,
        "opens_at": now - timedelta(days=opened_days_ago),
        "closes_at": now + timedelta(days=closes_in_days),
        "editor_note_template": EDITOR_NOTE,
        "standing_call": STANDING_CALL,
        "mailbox": mailbox,
    }


CRITERIA = [("创新性", "2.5"), ("实效性", "3"), ("示范性", "2.5"), ("可推广性", "2")]

# (organization, short name, parent, brand, slogan, sector)
ORGS = [
    (
        "泉城示范高速公司东站收费站党支部",
        "东站收费站",
        "泉城示范高速公司党委",
        "零距离",
        "服务零距离，群众零等待",
        "state_enterprise",
    ),
    ("海岸新区港湾社区党委", "港湾社区", "海岸新区街道党工委", "红帆领航", "红帆引领，邻里同心", "community"),
    ("齐都示范化工园区联合党委", "齐都化工园区", "齐都示范经济开发区党工委", "安全先锋", "党旗红映安全绿", "state_enterprise"),
    ("运河镇李家庄村党支部", "李家庄村", "运河镇党委", "田埂课堂", "把课堂搬到田埂上", "rural"),
    ("黄河口示范油田采油三队党支部", "采油三队", "黄河口示范油田党委", "井场红旗", "一口井一面旗", "state_enterprise"),
    ("仙境湾示范中学党总支", "仙境湾中学", "仙境湾区教育工委", "红烛照心", "以红烛之光照亮成长", "education"),
    ("风筝都示范人民医院党委", "风筝都医院", "风筝都市卫生健康委党组", "白衣先锋", "健康守护在身边", "health"),
    ("孔孟示范新区政务服务中心党支部", "政务服务中心", "孔孟示范新区党工委", "一次办好", "让群众少跑腿", "government"),
    ("岱下示范物流园区党支部", "岱下物流园", "岱下区非公经济组织党委", "红色引擎", "党建强，发展强", "private_enterprise"),
    ("海滨示范渔港社区党支部", "渔港社区", "海滨街道党工委", "渔港灯塔", "点亮渔家幸福路", "community"),
    ("日出示范科技公司党支部", "日出科技", "日出高新区党工委", "创新堡垒", "党建引领创新", "private_enterprise"),
    ("沂蒙示范供销合作社党委", "沂蒙供销社", "沂蒙市供销合作社党组", "红色供销", "为农服务不走样", "institution"),
    ("德州示范老年协会党支部", "老年协会", "德州示范社会组织综合党委", "银龄先锋", "退休不褪色", "social_org"),
    ("水城示范交警大队党支部", "水城交警大队", "水城示范公安局党委", "平安路口", "守护每一个路口", "government"),
    ("滨海示范盐场党总支", "滨海盐场", "滨海示范盐业集团党委", "盐田红", "晒出好日子", "state_enterprise"),
    ("牡丹示范合作社党支部", "牡丹合作社", "牡丹示范镇党委", "花开富民", "一朵牡丹富一方", "rural"),
    ("省直示范机关第三党支部", "省直示范机关", "省直示范机关党委", "机关先锋", "服务基层在一线", "government"),
    ("泉城示范律师事务所党支部", "泉城律所", "泉城律师行业党委", "法润民心", "法律服务进万家", "social_org"),
    ("海岸示范地铁运营分公司党委", "地铁运营分公司", "海岸示范地铁集团党委", "畅行先锋", "安全畅行每一程", "state_enterprise"),
    ("齐都示范陶瓷厂党支部", "齐都陶瓷厂", "齐都示范轻工集团党委", "匠心红", "传承匠心，锻造品质", "state_enterprise"),
]

SECTION_THEMES = ["思想与理念", "组织与队伍", "服务与群众", "发展与成效"]

INTRO = (
    "近年来，{org}坚持以党建引领业务发展，围绕“{slogan}”的工作目标，打造“{brand}”特色党建品牌，"
    "把党组织的政治优势、组织优势转化为推动发展的强大动力，赢得了群众的广泛认可。"
)
IDEA = "“{brand}”寓意党员与群众心连心、党建与业务同频共振，体现了{short}党员干部扎根一线、担当作为的精神风貌。"
SECTION_BODY = (
    "{short}把{theme}作为品牌建设的重要内容，形成了一套行之有效的工作方法。"
    "一是健全制度，明确责任清单，做到事事有人管、件件有着落；"
    "二是创新载体，开展主题党日、党员示范岗等活动，让党员在一线亮身份、作表率；"
    "三是强化考核，把品牌建设成效纳入年度述职评议，推动工作落地见效。"
)
RESULTS = (
    "“{brand}”品牌创建以来，{short}各项工作取得明显成效，群众满意度持续提升。"
    "先后获得“全省先进基层党组织”“市级文明单位”等荣誉称号，相关做法被多家媒体报道。"
)
MODEL_STORY = "共产党员张某某扎根一线十余年，带头承担急难险重任务，带出了一支过硬队伍，被评为市级优秀共产党员。"

# One entry copies a section of another, so the overlap report (文字复制比) has something to show:
# the entry at COPY_TO (by index in ORGS) carries the section written for the one at COPY_FROM.
COPY_FROM, COPY_TO = 3, 5
COPIED_SECTION = (
    "田间地头话振兴",
    "村党支部把党课搬到田埂上、大棚里，每月逢五开课，由农技员党员现场讲解土壤改良和病虫害防治，"
    "再请种植大户讲销售门路。课后党员分片包户，把学到的技术一户一户教到位，"
    "三年来全村大棚由四十个增加到一百六十个，亩均收入提高三成，二十多名在外务工青年回村创业。",
)

# A second demo campaign that screens its entries: an eligibility checklist and recommendation by the
# superior body (逐级推荐, submissions/recommend), two bodies each covering a city, with a quota.
SCREENED_CAMPAIGN = ("2026-recommended-brands", "2026年度基层党建品牌逐级推荐展示活动", "tuijian@example.com")
ELIGIBILITY_ITEMS = ["kind", "org_type", "complete", "consent", "not_duplicate"]
BODIES = [("济南市委组织部", "济南"), ("青岛市委组织部", "青岛")]
BODY_QUOTA = 3
BODY_ACCOUNT = ("jinan", "济南市委组织部 刘干事")  # acts for the first body (its workspace: /recommend/)
OPINION = "该党组织品牌特色鲜明、成效显著，经审核材料真实，同意推荐。"
# (organization, short name, parent, brand, slogan, sector, city, how far it gets: submitted, eligible, recommended)
SCREENED_ORGS = [
    (
        "泉城示范街道红枫社区党委",
        "红枫社区",
        "泉城示范街道党工委",
        "红枫驿站",
        "家门口的红色驿站",
        "community",
        "济南",
        "recommended",
    ),
    (
        "泉城示范软件园联合党委",
        "软件园",
        "泉城示范高新区党工委",
        "码上先锋",
        "代码里写初心",
        "private_enterprise",
        "济南",
        "recommended",
    ),
    (
        "泉城示范实验小学党支部",
        "实验小学",
        "泉城示范区教育工委",
        "红领巾成长营",
        "扣好人生第一粒扣子",
        "education",
        "济南",
        "eligible",
    ),
    (
        "泉城示范供水集团党委",
        "供水集团",
        "泉城示范城投集团党委",
        "清泉先锋",
        "一泓清泉润万家",
        "state_enterprise",
        "济南",
        "submitted",
    ),
    (
        "海岸示范港务公司党委",
        "港务公司",
        "海岸示范港口集团党委",
        "红色航标",
        "航标所指，党旗所向",
        "state_enterprise",
        "青岛",
        "eligible",
    ),
    ("海岸示范海洋研究所党支部", "海洋研究所", "海岸示范科学院党组", "深蓝先锋", "向海图强", "institution", "青岛", "submitted"),
]
