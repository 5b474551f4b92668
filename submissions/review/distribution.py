"""Balanced automatic distribution of entries to reviewers, with conflicts of interest skipped.

A pure domain function (no database): `distribute()` gives each entry `per_entry` reviewers from
a pool so that the reviewers' loads stay as even as possible, never giving an entry to a
reviewer who declared a conflict with it. `conflict()` says whether a reviewer's declared
affiliations (and, if the campaign asks, their city) clash with an entry.

Balance, stated: entries are taken in the given order; each takes the `per_entry` allowed
reviewers with the lowest load so far (load = entries already given, plus any `existing`
load), ties broken by the pool's order. Without conflicts, every reviewer's final load then
differs from any other's by at most one.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    """A reviewer as distribution sees them: an id, declared affiliations and city."""

    key: object
    affiliations: frozenset = field(default_factory=frozenset)
    region_id: object = None


@dataclass(frozen=True)
class Entry:
    key: object
    org_name: str
    org_parent: str = ""
    region_id: object = None


def _norm(name):
    return "".join((name or "").split())


def conflict(entry, candidate, *, same_city=False):
    """True if the reviewer declared the entry's organization or its parent, or (same_city) shares its city."""
    declared = {_norm(a) for a in candidate.affiliations if _norm(a)}
    if declared & {_norm(entry.org_name), _norm(entry.org_parent)} - {""}:
        return True
    return bool(same_city and candidate.region_id is not None and candidate.region_id == entry.region_id)


@dataclass
class Plan:
    """What distribute() decided: entry key -> reviewer keys, and entries left short (with how many missing)."""

    given: dict
    short: dict

    def loads(self):
        counts = {}
        for keys in self.given.values():
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
        return counts


def distribute(entries, pool, per_entry, *, same_city=False, existing=None, already=None):
    """Spread `entries` across the `pool` of Candidates, `per_entry` reviewers each.

    `existing` maps reviewer key -> load they already carry (counted for balance); `already`
    maps entry key -> reviewer keys already assigned to it in this round (neither repeated nor
    counted twice). An entry that cannot get enough reviewers without a conflict gets those it
    can and is listed in `short`.
    """
    if per_entry < 1:
        raise ValueError("per_entry must be at least 1")
    load = {c.key: (existing or {}).get(c.key, 0) for c in pool}
    order = {c.key: index for index, c in enumerate(pool)}
    given, short = {}, {}
    for entry in entries:
        taken = set((already or {}).get(entry.key, ()))
        allowed = [c for c in pool if c.key not in taken and not conflict(entry, c, same_city=same_city)]
        allowed.sort(key=lambda c: (load[c.key], order[c.key]))
        need = max(per_entry - len(taken), 0)
        chosen = [c.key for c in allowed[:need]]
        for key in chosen:
            load[key] += 1
        given[entry.key] = chosen
        if len(chosen) < need:
            short[entry.key] = need - len(chosen)
    return Plan(given, short)
