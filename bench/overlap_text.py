"""Practice write-ups for the overlap benchmark: party-building phrases combined at random.

The vocabulary is large enough that two entries written independently share short phrases
(which the check must ignore) but hardly ever a whole sentence, as real write-ups do; every entry
also quotes some of the same boilerplate (party documents, the campaign's call), which the check
must not count. `archive_parts(i)` is archive entry i, `planted(kind, rng, source)` a new entry
copying from one (bench.overlap_run loads and times them; bench.overlap_minhash compares MinHash).
"""

import random

SUBJECTS = (
    "支部党员 党支部书记 青年党员 老党员 村两委干部 社区网格员 驻村第一书记 党员志愿者 党小组长 入党积极分子 "
    "党员骨干 机关党员 一线党员 党员技术能手 退休老党员 流动党员 党员中心户 党建指导员 支委班子 全体党员 "
    "党员突击队 党员服务队 青年突击队 党员先锋队 党员专家 党员教师 党员医生 党员民警 党员职工 党员代表"
).split()
VERBS = (
    "深入开展 扎实推进 持续深化 创新实施 全面落实 积极探索 精心组织 大力推行 认真落实 着力构建 统筹推进 "
    "常态化开展 规范化推进 系统谋划 主动承接 牵头组织 全程参与 定期开展 集中攻坚 联合开展 分类实施 "
    "试点推行 逐步完善 不断优化 探索建立 率先实行 持续推动 广泛开展 聚焦推进 精准实施"
).split()
OBJECTS = (
    "主题党日活动 党员先锋岗创建 网格化服务管理 红色教育基地建设 志愿服务项目 结对帮扶工作 党员积分制管理 "
    "村级集体经济发展 矛盾纠纷排查化解 便民服务事项办理 党员教育培训 理论学习夜校 安全生产隐患排查 "
    "技术攻关课题 乡村振兴项目 人居环境整治 老旧小区改造 政务服务提速 企业纾困解难 群众诉求办理 "
    "党建联建共建 红色物业服务 党员责任区划分 困难群众走访 民主评议党员 组织生活会 党费收缴管理 "
    "发展党员工作 党务公开制度 创新工作室建设 职工技能比武 服务窗口标准化 农产品电商销售 特色产业培育"
).split()
PURPOSES = (
    "切实增强了党组织的凝聚力 不断提升群众满意度 推动党建与业务深度融合 有效激发党员干部干事创业热情 "
    "让群众办事更加便捷 打通服务群众最后一公里 为高质量发展注入强劲动力 形成了比学赶超的浓厚氛围 "
    "使党员作用发挥更加充分 让党旗在一线高高飘扬 把问题解决在萌芽状态 实现了经济效益和社会效益双提升 "
    "带动群众增收致富 筑牢了安全生产防线 擦亮了服务品牌 赢得了群众的广泛赞誉 锤炼了过硬作风 "
    "激活了基层治理末梢 把党的政治优势转化为发展优势 凝聚起干事创业的强大合力"
).split()
PLACES = (
    "东关 西河 南岭 北坡 前街 后屯 王庄 李营 张湾 刘集 陈村 杨店 赵楼 孙家 周岗 吴桥 郑洼 冯寨 褚庄 卫河 "
    "蒋集 沈庄 韩屯 朱楼 秦岭 尤庄 许家 何营 吕店 施桥"
).split()
TEMPLATES = (
    "{s}{v}{o}，{p}。",
    "围绕{o}，{s}{v}{o2}，{p}。",
    "在{place}片区，{s}{v}{o}{n}次，{p}。",
    "{v}{o}以来，累计服务群众{n}余人次，{p}。",
    "依托{o}，{v}{o2}，{s}带头示范，{p}。",
    "{s}坚持{v}{o}，推动{o2}落地见效，{p}。",
    "今年以来，{place}{s}{v}{o}，解决实际问题{n}个，{p}。",
)
HEADINGS = "思想引领 组织建设 服务群众 发展赋能 队伍锤炼 制度保障 品牌塑造 基层治理 平安建设 文化浸润".split()

# Boilerplate every entry may quote: party documents and stock phrases (never a copy).
BOILERPLATE = (
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，深刻领悟两个确立的决定性意义，增强四个意识、坚定四个自信、做到两个维护。",
    "认真落实三会一课、主题党日、组织生活会、民主评议党员等制度，推动党的组织生活经常化、制度化、规范化。",
    "牢记全心全意为人民服务的根本宗旨，坚持以人民为中心的发展思想，不断满足人民群众对美好生活的向往。",
    "深入开展学习贯彻习近平新时代中国特色社会主义思想主题教育，坚持学思想、强党性、重实践、建新功的总要求。",
    "不忘初心、牢记使命，把党的政治建设摆在首位，以党的政治建设统领党的各项建设，推动全面从严治党向纵深发展。",
    "充分发挥基层党组织战斗堡垒作用和党员先锋模范作用，以高质量党建引领保障高质量发展。",
)


def sentence(rng):
    # Real write-ups name their own people, places and figures in most sentences.
    return rng.choice(TEMPLATES).format(
        s=rng.choice(PLACES) + rng.choice(SUBJECTS),
        v=rng.choice(VERBS),
        o=rng.choice(OBJECTS),
        o2=rng.choice(OBJECTS),
        p=rng.choice(PURPOSES),
        place=rng.choice(PLACES),
        n=rng.randint(3, 2000),
    )


def paragraph(rng, sentences):
    return "".join(sentence(rng) for _ in range(sentences))


def entry(rng, *, boilerplate=2, call_text=""):
    """The parts of one entry's write-up: idea, introduction, sections [(heading, body)], results."""
    quotes = rng.sample(BOILERPLATE, boilerplate)
    sections = []
    for heading in rng.sample(HEADINGS, rng.randint(4, 5)):
        body = paragraph(rng, rng.randint(5, 7))
        if quotes and rng.random() < 0.5:
            body = quotes.pop() + body
        sections.append((f"{heading}{rng.choice(PLACES)}", body))
    intro = "".join(quotes) + paragraph(rng, 2)
    if call_text:
        intro = call_text + intro
    return {
        "brand_idea": paragraph(rng, 1),
        "introduction": intro,
        "sections": sections,
        "results": paragraph(rng, 2),
    }


def light_edit(rng, body, changes=4):
    """The same section, sentences in another order and a few characters changed."""
    sentences = [part + "。" for part in body.split("。") if part]
    rng.shuffle(sentences)
    chars = list("".join(sentences))
    for _ in range(changes):
        at = rng.randrange(len(chars))
        if chars[at] not in "，。":
            chars[at] = rng.choice("的了和在是有为将把被从对")
    return "".join(chars)


def archive_parts(i):
    """Archive entry `i` of the overlap benchmark: the same text on every run."""
    return entry(random.Random(i), boilerplate=random.Random(-i).randint(1, 3))


def planted(kind, rng, source):
    """A new entry copying from archive entry `source` in one of the planted ways."""
    src = archive_parts(source)
    parts = entry(rng, boilerplate=rng.randint(1, 3))
    heading, body = rng.choice(src["sections"])
    at = rng.randrange(len(parts["sections"]))
    if kind == "section":
        parts["sections"][at] = (heading, body)
    elif kind == "edited":
        parts["sections"][at] = (heading, light_edit(rng, body))
    else:  # three sentences of the source, inside a longer section of the new entry
        sentences = [s + "。" for s in body.split("。") if s]
        first = rng.randrange(len(sentences) - 2)
        h, own = parts["sections"][at]
        middle = len(own) // 2
        cut = own.index("。", middle) + 1 if "。" in own[middle:] else middle
        parts["sections"][at] = (h, own[:cut] + "".join(sentences[first : first + 3]) + own[cut:] + paragraph(rng, 3))
    return parts
