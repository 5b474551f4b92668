"""Balanced distribution of entries to reviewers (submissions.review.distribution), expected plans stated literally."""

import pytest

from submissions.review.distribution import Candidate, Entry, conflict, distribute


def entries(n, **kw):
    return [Entry(key=f"e{i}", org_name=f"单位{i}", **kw) for i in range(1, n + 1)]


POOL = [Candidate("A"), Candidate("B"), Candidate("C")]


def test_six_entries_two_reviewers_each_over_three_reviewers_gives_each_four():
    plan = distribute(entries(6), POOL, 2)
    assert plan.given == {
        "e1": ["A", "B"],
        "e2": ["C", "A"],
        "e3": ["B", "C"],
        "e4": ["A", "B"],
        "e5": ["C", "A"],
        "e6": ["B", "C"],
    }
    assert plan.loads() == {"A": 4, "B": 4, "C": 4}
    assert plan.short == {}


def test_uneven_totals_differ_by_at_most_one():
    plan = distribute(entries(5), [*POOL, Candidate("D")], 2)  # 10 assignments over 4 reviewers
    assert plan.loads() == {"A": 3, "B": 3, "C": 2, "D": 2}
    assert all(len(v) == 2 for v in plan.given.values())
    assert all(len(set(v)) == 2 for v in plan.given.values())  # never the same reviewer twice


def test_a_declared_organization_or_parent_is_skipped():
    wang = Candidate("A", affiliations=frozenset({"示范集团党委"}))
    items = [
        Entry("own", org_name="示范集团党委"),
        Entry("child", org_name="示范集团第一党支部", org_parent="示范集团 党委"),
        Entry("other", org_name="别的党支部", org_parent="别的党委"),
    ]
    plan = distribute(items, [wang, Candidate("B"), Candidate("C")], 2)
    assert plan.given == {"own": ["B", "C"], "child": ["B", "C"], "other": ["A", "B"]}


def test_same_city_is_a_conflict_only_when_the_campaign_says_so():
    jinan = Entry("e", org_name="单位", region_id=1)
    local = Candidate("A", region_id=1)
    assert not conflict(jinan, local)
    assert conflict(jinan, local, same_city=True)
    plan = distribute([jinan], [local, Candidate("B", region_id=2)], 1, same_city=True)
    assert plan.given == {"e": ["B"]}


def test_an_entry_short_of_reviewers_is_reported():
    plan = distribute([Entry("e", org_name="甲")], [Candidate("A", affiliations=frozenset({"甲"})), Candidate("B")], 2)
    assert plan.given == {"e": ["B"]}
    assert plan.short == {"e": 1}


def test_existing_load_and_already_assigned_reviewers_count():
    plan = distribute(entries(2), POOL, 2, existing={"A": 5}, already={"e1": ["B"]})
    assert plan.given == {"e1": ["C"], "e2": ["B", "C"]}
    assert plan.loads() == {"C": 2, "B": 1}


def test_per_entry_below_one_is_refused():
    with pytest.raises(ValueError):
        distribute(entries(1), POOL, 0)
