"""The overlap report (文字复制比): Chinese shingling, boilerplate, the report, its triggers, and
what each role sees of it."""

import logging

import pytest

from submissions import workflow
from submissions.models import OverlapDocument, OverlapMatch, Section, Status
from submissions.overlap import index
from submissions.overlap import tasks as overlap_tasks
from submissions.overlap.text import K, fingerprints, kgrams, normalize
from tests.factories import CampaignFactory, SubmissionFactory, make_user, published_showcase

# Three write-ups that share nothing, each well over MIN_BLOCK characters.
COPIED = (
    "我们在收费站广场设立“红色驿站”，为过往司机提供热水、药品和地图，二十四小时有党员值守。"
    "遇到恶劣天气，党员突击队第一时间上路除雪保畅，累计疏导滞留车辆三千余台，收到锦旗四十二面。"
)
OWN_A = (
    "社区党委把楼院划分为十八个网格，每个网格由一名在职党员认领，每月上门走访独居老人，"
    "建立需求台账，能当场解决的当场解决，不能解决的三天内答复，去年共办结群众诉求六百余件。"
)
OWN_B = (
    "合作社党支部牵头成立电商服务站，请返乡大学生党员教村民直播带货，把滞销的苹果和花生卖到全国，"
    "带动二百一十户农户每户年均增收八千元，村集体经济收入首次突破百万元。"
)
QUOTE = "认真落实三会一课、主题党日、组织生活会、民主评议党员等制度，推动党的组织生活经常化、制度化、规范化。"


def entry(*bodies, campaign=None, status=Status.SUBMITTED, run=None, **kwargs):
    """An entry whose sections are `bodies`, taken to `status` through the workflow."""
    fields = {"sections": 0, "brand_idea": "党员与群众心连心。", "introduction": "近年来坚持党建引领。", "results": "获评先进。"}
    if campaign is not None:
        fields["campaign"] = campaign
    submission = SubmissionFactory(**fields, **kwargs)
    for order, body in enumerate(bodies, start=1):
        Section.objects.create(submission=submission, order=order, heading=f"做法{order}", body=body)
    editor = make_user("editor", username="overlap-editor")
    list(workflow.walk(submission, status, editor=editor))
    return submission


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Runs the work scheduled after commit, as the hook does in production."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(*args, **kwargs)
        return result

    return call


def report_of(submission):
    document = OverlapDocument.objects.get(submission=submission)
    matches = {m.other.submission_id or ("article", m.other.showcase_id): m for m in document.matches.select_related("other")}
    return document, matches


# --- characters and shingles
def test_normalize_keeps_letters_and_digits_of_any_script_and_drops_punctuation_and_spaces():
    norm, offsets = normalize("“零距离”服务，\n 群众 A1！")
    assert norm == "零距离服务群众a1"
    assert offsets == [1, 2, 3, 5, 6, 10, 11, 13, 14]


def test_shingles_are_runs_of_characters_not_words():
    assert kgrams("不忘初心牢记使命") == {"不忘初心牢记使命"}
    assert K == 8
    assert kgrams("三会一课") == set()  # shorter than a shingle: a stock phrase never counts alone
    assert len(kgrams("一二三四五六七八九")) == 2


def test_a_passage_keeps_its_sampled_shingles_wherever_it_stands():
    passage = normalize(COPIED)[0]
    alone = set(fingerprints(passage).values())
    inside = set(fingerprints(normalize(OWN_A)[0] + passage + normalize(OWN_B)[0]).values())
    assert alone and alone <= inside
    assert set(fingerprints(normalize("，".join(COPIED))[0]).values()) == alone  # punctuation is not text


# --- the report
def test_a_copied_section_is_found_with_its_passage_and_share(db, run):
    source = run(entry, COPIED, OWN_A)
    copy = run(entry, OWN_B, COPIED)
    document, matches = report_of(copy)
    assert list(matches) == [source.pk]
    match = matches[source.pk]
    own = normalize(document.text)[0]
    (start, end, other_start, other_end), *_rest = match.passages
    assert own[start:end] == normalize(COPIED)[0]
    assert normalize(match.other.text)[0][other_start:other_end] == normalize(COPIED)[0]
    assert 0.35 < match.share < 0.6  # one of two sections of about the same length
    assert document.share == pytest.approx(match.share)


def test_unrelated_entries_share_nothing(db, run):
    run(entry, OWN_A)
    other = run(entry, OWN_B)
    document, matches = report_of(other)
    assert matches == {} and document.share == 0


def test_the_campaigns_own_texts_do_not_count(db, run):
    campaign = CampaignFactory(slug="own-texts", call_text=COPIED, standing_call=OWN_A)
    run(entry, COPIED + OWN_A, campaign=campaign)
    copy = run(entry, COPIED + OWN_A + OWN_B, campaign=campaign)
    document, matches = report_of(copy)
    assert matches == {} and document.share == 0


def test_a_passage_in_many_entries_is_boilerplate(db, run):
    assert index.cutoff(5) == 3 and index.cutoff(100) == 5 and index.cutoff(100000) == 20
    quoted = QUOTE + "坚持以人民为中心的发展思想，不断满足人民群众对美好生活的向往，把党的政治优势转化为发展优势。"
    for _n in range(4):
        run(entry, quoted)
    late = run(entry, quoted + OWN_A)
    document, matches = report_of(late)
    assert matches == {} and document.share == 0
    pair = run(entry, OWN_B + quoted)  # OWN_B with the boilerplate: only OWN_B is a copy
    copy = run(entry, quoted + OWN_B)
    _document, matches = report_of(copy)
    assert list(matches) == [pair.pk]
    assert normalize(QUOTE)[0] not in "".join(
        normalize(matches[pair.pk].other.text)[0][p[2] : p[3]] for p in matches[pair.pk].passages
    )


def test_an_entrys_own_article_is_not_a_match_but_another_article_is(db, run):
    source = run(entry, COPIED, OWN_A, status=Status.ACCEPTED)
    article = run(published_showcase, submission=source, lead=COPIED)
    _document, matches = report_of(source)
    assert ("article", article.pk) not in matches
    copy = run(entry, COPIED)
    _document, matches = report_of(copy)
    assert set(matches) == {source.pk, ("article", article.pk)}


# --- when it is recomputed
def test_the_report_follows_resubmission_and_edits_of_either_text(db, run, editor):
    source = run(entry, COPIED, OWN_A)
    copy = run(entry, OWN_B, status=Status.RETURNED)
    assert not OverlapMatch.objects.filter(document__submission=copy).exists()
    section = copy.sections.get()
    section.body = OWN_B + COPIED
    run(section.save)
    run(workflow.transition, copy, Status.RESUBMITTED, actor=workflow.SUBMITTER)
    assert list(report_of(copy)[1]) == [source.pk]
    # The other entry edited: the copied passage gone from it, gone from this report too.
    source_section = source.sections.get(order=1)
    source_section.body = "这一段已经由原单位改写，内容与此前完全不同，讲的是党员志愿者为社区老人理发送餐的故事。"
    run(source_section.save)
    assert report_of(copy)[1] == {}
    # And back, through a plain edit of the entry in the admin.
    source.introduction = COPIED
    run(source.save)
    assert list(report_of(copy)[1]) == [source.pk]


def test_a_published_article_is_matched_and_an_unpublished_one_no_longer(db, run):
    copy = run(entry, OWN_B + COPIED)
    article = run(published_showcase, lead=COPIED + OWN_A)
    assert ("article", article.pk) in report_of(copy)[1]
    chief = make_user("chief", username="overlap-chief")
    run(workflow.transition, article, article.State.UNPUBLISHED, actor=chief, message="撤稿")
    assert report_of(copy)[1] == {}


def test_drafts_are_not_indexed(db, run):
    run(entry, COPIED, status=Status.DRAFT)
    assert not OverlapDocument.objects.exists()


def test_a_failing_report_never_fails_the_submitters_request(db, run, monkeypatch, caplog):
    def broken(submission_id):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(overlap_tasks, "refresh_report", broken)
    with caplog.at_level(logging.ERROR, logger="submissions.overlap"):
        submission = run(entry, COPIED)
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert "overlap report for entry" in caplog.text


def test_one_change_schedules_one_report(db, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr(overlap_tasks, "queue", lambda kind, pk: calls.append((kind, pk)))
    submission = SubmissionFactory(sections=0)
    with django_capture_on_commit_callbacks(execute=True):
        for order in (1, 2, 3):
            Section.objects.create(submission=submission, order=order, heading="做法", body=COPIED)
        workflow.transition(submission, Status.SUBMITTED, actor=workflow.SUBMITTER)
    assert calls == [("entry", submission.pk)]
