"""Which battle a claim is about (`claim_battle`), from battles.py's index of the reference data.

Order of evidence: a battle named in the figure's own clause (told apart by date; in an article
whose lead names an operation, a region it spans is that operation while it goes on); none for
a war-wide figure or a place outside every battle; a battle named in the sentence; nothing more
when the sentence has its own time; the claimant's earlier statement; the paragraph; the
article's lead."""

import re
from datetime import date

from ingest.extraction import battles as battles_mod
from ingest.extraction import claimants as claimants_mod
from ingest.extraction import explanation
from ingest.extraction import sides as sides_mod
from ingest.extraction.data import cues, fold, side_table
from ingest.extraction.dates import has_month_only
from ingest.extraction.sentences import Sentence
from ingest.extraction.state import Context, battles_in
from ingest.extraction.types import BattleRef

_PROVINCE = re.compile(r"\b(?:province|governorate) of [A-Z]\w+|\b[A-Z]\w+ province\b")


def claim_battle(
    ctx: Context,
    s: str,
    clause: str,
    sentence: Sentence,
    sentences: list[Sentence],
    claimant: claimants_mod.Claimant | None,
    claim_date: date | None,
    time_shift: bool,
    bindex: battles_mod.BattleIndex,
) -> tuple[BattleRef | None, str, bool]:
    c = cues()
    hits = battles_in(ctx, clause, bindex)
    if hits and not any(h.strong for h in hits) and c.war_wide_re.search(fold(clause)):
        return None, "battle: none (war-wide figure)", True
    if hits:
        when = _when(ctx, claim_date)
        battle = battles_mod.choose(hits, when)
        lead = ctx.lead_battle
        if (
            battle is not None
            and lead is not None
            and lead is not battle
            and not any(h.strong for h in hits)
            and ctx.lead_named
            and when is not None
            and battles_mod.is_active(lead, when)
        ):
            # "in Donetsk" in an article about the counteroffensive it names: a region is
            # wider than the operation the article is about.
            return lead, f"battle: the article's '{ctx.lead_named}', in that region", True
        return (
            battle,
            f"battle: '{explanation.name_at(clause, hits[0].start)}'"
            if battle
            else "battle: place named but ambiguous",
            True,
        )
    if c.war_wide_re.search(fold(clause)):
        return None, "battle: none (war-wide figure)", True
    if _foreign_place(clause, bindex) or (
        not battles_in(ctx, s, bindex) and _foreign_place(s, bindex)
    ):
        return None, "battle: none (another place)", True
    hits = battles_in(ctx, s, bindex)
    if hits:
        battle = battles_mod.choose(hits, _when(ctx, claim_date))
        if battle:
            return battle, "battle: named in the sentence", False
    if time_shift:
        return None, "", True
    if claimant is not None:
        battle = _speaker_battle(ctx, claimant.name, sentence.index, bindex)
        if battle is not None:
            return battle, "battle: the claimant's earlier statement", False
    near = ctx.sentences[max(0, sentence.index - 3) : sentence.index + 4]
    para = [o for o in near if o.paragraph == sentence.paragraph and o is not sentence]
    hits = [h for o in para for h in battles_in(ctx, o.text, bindex)]
    if hits:
        battle = battles_mod.choose(hits, _when(ctx, claim_date))
        if battle:
            return battle, "battle: named in the paragraph", False
    if ctx.lead_battle is not None:
        return ctx.lead_battle, "battle: the article's lead", False
    return None, "", False


def _when(ctx: Context, claim_date: date | None) -> date | None:
    """The day that tells battles apart. Asked only when a battle is named, because the
    floor of an undated article costs a pass over the whole text."""
    return claim_date or ctx.published or ctx.floor


def _foreign_place(clause: str, bindex: battles_mod.BattleIndex) -> bool:
    for m in sides_mod.mentions(clause):
        if m.kind == "place":
            return True
    if side_table().country_re.search(clause):
        return True
    if "province" not in clause and "governorate" not in clause:
        return False  # the pattern tries every capitalised word: first look for its nouns
    return bool(_PROVINCE.search(clause))


def _speaker_battle(
    ctx: Context, name: str, before: int, bindex: battles_mod.BattleIndex
) -> BattleRef | None:
    """The battle the claimant last spoke about before this sentence, unless they have moved
    on to the whole war or another time since."""
    earlier = [i for i in ctx.speaker_sentences.get(name, ()) if i < before][-8:]
    for index in reversed(earlier):
        sentence = ctx.sentences[index]
        hits = battles_in(ctx, sentence.text, bindex)
        if hits:
            battle = battles_mod.choose(hits, ctx.published or ctx.floor)
            if battle:
                return battle
        if cues().war_wide_re.search(fold(sentence.text)) or has_month_only(sentence.text):
            return None
    return None
