"""Repeats merged (`merge_repeats`): the same figure, category, side and compatible unit said twice
(headline, body, quote) is one claim, with the body sentence as excerpt and a named person
before an institution as claimant; a headline that rounds a body figure is dropped. Then
sub-counts point to their totals, a claimant's undated statements take the day (and battle) of
their dated one, and `over the past 24 hours` dates what is still undated."""

import bisect
import re
from datetime import date

from ingest.extraction.state import Raw
from ingest.extraction.types import ExtractedClaim


def _unit_words(unit: str | None) -> set[str]:
    return {w.lower().rstrip("s") for w in re.findall(r"[\w-]+", unit or "")}


def _same(a: ExtractedClaim, b: ExtractedClaim) -> bool:
    if (a.figure_low, a.figure_high, a.category, a.side) != (
        b.figure_low,
        b.figure_high,
        b.category,
        b.side,
    ):
        return False
    if a.claim_date and b.claim_date and a.claim_date != b.claim_date:
        return False
    if a.category == "equipment":
        if a.unit == b.unit:
            return True
        return bool(_unit_words(a.unit) & _unit_words(b.unit))
    if a.unit and b.unit:
        return bool(_unit_words(a.unit) & _unit_words(b.unit))
    return True


def _rounded_headline(group: list[int], raws: list[Raw], body: dict[str, list[int]]) -> bool:
    """'Gaza toll passes 30,000' over a body that says 30,035: the headline rounds a figure
    the body states exactly, so it is not a claim of its own."""
    if not all(raws[i].heading for i in group):
        return False
    claim = raws[group[0]].claim
    value = claim.figure_low or claim.figure_high or 0
    values = body.get(claim.category, [])
    k = bisect.bisect_left(values, value * 0.85)
    return bool(value) and k < len(values) and values[k] <= value / 0.85


def merge_repeats(raws: list[Raw]) -> list[ExtractedClaim]:
    groups: list[list[int]] = []
    buckets: dict[tuple[int | None, int | None, str, str], list[list[int]]] = {}
    for i, raw in enumerate(raws):
        c = raw.claim
        bucket = buckets.setdefault((c.figure_low, c.figure_high, c.category, c.side), [])
        for group in bucket:
            if _same(raws[group[0]].claim, c):
                group.append(i)
                raw.merged_into = group[0]
                break
        else:
            bucket.append([i])
            groups.append(bucket[-1])
    body: dict[str, list[int]] = {}
    for raw in raws:
        if not raw.heading:
            for figure in (raw.claim.figure_low, raw.claim.figure_high):
                if figure:
                    body.setdefault(raw.claim.category, []).append(figure)
    for values in body.values():
        values.sort()
    groups = [g for g in groups if not _rounded_headline(g, raws, body)]
    final: list[ExtractedClaim] = []
    raw_to_final: dict[int, int] = {}
    for group in groups:
        members = [raws[i] for i in group]
        base = next((m for m in members if not m.heading), members[0])
        claim = base.claim
        person = next((m for m in members if m.claimant_person), None)
        if person and not base.claimant_person:
            claim.claimant = person.claim.claimant
            claim.notes.append("claimant: the person quoted elsewhere with the same figure")
        for m in members:
            if m is base:
                continue
            claim.claimant = claim.claimant or m.claim.claimant
            claim.claim_date = claim.claim_date or m.claim.claim_date
            if claim.battle is None and not base.battle_blocked:
                claim.battle = m.claim.battle
            claim.unit = claim.unit or m.claim.unit
        claim.evidence.repeats = len(members)
        if len(members) > 1:
            claim.notes.append(f"repeated {len(members)} times in the article")
            # The claimant may come from another statement of the claim: so does how it was found.
            speaker = next((m for m in members if m.claim.claimant == claim.claimant), base)
            claim.evidence.claimant_basis = speaker.claim.evidence.claimant_basis
        for i in group:
            raw_to_final[i] = len(final)
        final.append(claim)
    blocked_date = {
        raw_to_final[i]
        for i, r in enumerate(raws)
        if r.date_blocked and r.merged_into is None and i in raw_to_final
    }
    blocked_battle = {
        raw_to_final[i]
        for i, r in enumerate(raws)
        if r.battle_blocked and r.merged_into is None and i in raw_to_final
    }
    for i, raw in enumerate(raws):
        if raw.parent_raw is not None:
            parent = raw_to_final.get(raw.parent_raw)
            child = raw_to_final.get(i)
            if parent is None or child is None:
                continue
            if parent != child and final[child].parent is None:
                final[child].parent = parent
    _share_by_claimant(final, blocked_date, blocked_battle)
    for i, raw in enumerate(raws):
        claim = final[raw_to_final[i]] if i in raw_to_final else raw.claim
        if raw.fallback_day and claim.claim_date is None:
            claim.claim_date, note = raw.fallback_day
            claim.notes.append(note)
    for claim in final:
        if claim.parent is not None and claim.parent >= len(final):
            claim.parent = None
    return final


def _share_by_claimant(final: list[ExtractedClaim], no_date: set[int], no_battle: set[int]) -> None:
    """A claimant's undated statement in the same article shares the day of its dated one."""
    first_date: dict[str, date] = {}
    first_battle: dict[str, str] = {}
    for i, claim in enumerate(final):
        name = claim.claimant
        if name is None:
            continue
        own_date, own_battle = claim.claim_date, claim.battle
        if claim.claim_date is None and i not in no_date and name in first_date:
            claim.claim_date = first_date[name]
            claim.notes.append("date: the claimant's dated statement earlier in the article")
        if claim.battle is None and i not in no_battle and name in first_battle:
            claim.battle = first_battle[name]
            claim.notes.append("battle: the claimant's earlier figure")
        if own_date is not None:
            first_date.setdefault(name, own_date)
        if own_battle is not None:
            first_battle.setdefault(name, own_battle)
