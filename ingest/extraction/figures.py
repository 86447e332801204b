"""The sentence stage: what each figure of a sentence counts, and the drafts it makes.

Each figure gets its noun phrase (else a tally's label: `tanks - 1,077`, `213 - servicemen`),
then its category, in this order of evidence: the noun phrase (`4,000 losses`), the loss word
after it up to the next figure (`were killed`), the loss word before it (`lost`, `the number of
... killed has risen to`), an equipment loss word near an equipment noun, `destroyed` said of
people, a weak noun (`prisoners`), `returned`/`freed` in a prisoner-exchange story. lists.py
then passes categories along lists, tallies and sub-counts; a sentence of labels after a claim,
`among them` and `put the total at N` take the category of the claim before. Denominators,
rates, projections, ratios, percentages, scare-quoted slang and figures counting things that are
not people are dropped. Each kept figure gets its side (side_rules.py), the speaker nearest it
when several speak, its battle (battle_rules.py), the sentence's date (date_rules.py) and basis."""

import re

from ingest.extraction import battles as battles_mod
from ingest.extraction import claimants as claimants_mod
from ingest.extraction import explanation
from ingest.extraction.battle_rules import claim_battle
from ingest.extraction.categories import (
    NounPhrase,
    left_cue,
    noun_phrase,
    zone_cue,
)
from ingest.extraction.data import cues, fold
from ingest.extraction.date_rules import sentence_date
from ingest.extraction.lists import (
    INCREMENT_LEFT,
    LABEL_LEFT,
    PARTITIVE_NP,
    chain_end,
    chain_start,
    denominators,
    group_from,
    increments,
    is_labelled_tally,
    label_after,
    label_before,
    link_parents,
    others_of_the_same,
    propagate,
    respective_totals,
    respectively,
    shared_heads,
)
from ingest.extraction.numbers import Figure
from ingest.extraction.qualifiers import qualify
from ingest.extraction.sentences import Sentence
from ingest.extraction.side_rules import NOUN_CUE, POSSESSIVE_NP, claim_side
from ingest.extraction.state import CARRIED_NOTE, Context, Item, Raw, Speaker, battles_in
from ingest.extraction.types import (
    Evidence,
    ExtractedClaim,
)

_SHARE_OF = re.compile(
    r"\b(?:third|thirds|quarter|quarters|half|fifth|fifths|tenth|tenths|percent|per cent|%)\s+"
    r"of\s+(?:its|their|the|his|her|our)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_LINK_VERBS = re.compile(
    r"\b(?:was|were|is|are|has|have|had|said|says|told|added|stated|claimed|reported|"
    r"announced|noted|according|estimated|estimates|lost|killed|destroyed|captured|while|"
    r"which|who|but|that|out of)\b",
    re.IGNORECASE,
)
_SUBCOUNT = re.compile(
    r"(?:\bincluding|\bamong them|\bamong whom|\bof whom|\bof them|\bof which|\bout of which|"
    r"\bamong the dead|\bamong those)\s*(?:are|were)?\s*(?:more than|at least|over|nearly|about|"
    r"around|some|almost|up to|roughly|approximately|an estimated)?\s*$|^\s*[–—-]\s*$|^\s*\(\s*$",
    re.IGNORECASE,
)
_SENTENCE_SUBCOUNT = re.compile(
    r"^\s*(?:among them|of them|of these|of this figure|of those|among the dead|"
    r"among those killed|this includes|this number includes)\b"
    r"|\b(?:are|were)\s+among\s+(?:them|those)\b",  # "Nine officers are among them."
    re.IGNORECASE,
)
_RATIO = re.compile(  # searched in the folded text
    r"\bfor (?:every|each|one)\b|\bratio\b|\b\w+ (?:for|to) (?:every|each)\b|"
    r"\b(?:one|1) \w+ (?:soldier )?for (?:every |each )?(?:\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten)\b"
)
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent|per cent)", re.IGNORECASE)


_PAST_DAY = re.compile(
    r"\b(?:in|over|during|for)\s+the\s+(?:last|past|previous)\s+(?:24\s+hours|day)\b"
    r"|\b(?:past|last)\s+24\s+hours\b",
    re.IGNORECASE,
)


_PREDICATE = re.compile(
    r"\b(?:is|are|was|were|be|stood|stands|stand|reached|reaches|rose|risen|climbed|amounted|"
    r"totaled|totalled|totals|numbered|exceeded|exceeds|surpassed|surpasses|topped|tops|passed|"
    r"crossed|neared|approached|grew|grown|increased|jumped|soared|hit|came|come|"
    r"at|to|range of)\s+"
    # "could be as high as 250,000": a qualifier of several words between verb and figure
    r"(?:as (?:high|many|much|low|few) as\s+|in the region of\s+)?(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


_STRONG_DISTRACTOR = re.compile(
    r"(?:population of|pre-war population|factor of|\baged|\$|€|£|\bworth|\bcost)\s*"
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


_LINK_LINE = re.compile(
    r"^\s*(?:read (?:also|more)|see also|related|more on this|also read)\s*:", re.IGNORECASE
)


_RETURNED = re.compile(
    r"\b(?:return(?:ed|s)?|brought (?:back|home)|freed|released|swapped|handed over)\b",
    re.IGNORECASE,
)


_OUT_OF = re.compile(r"(?<!put )(?<!knocked )\bout\s+of\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_GENERIC_COUNTED = {"people", "persons", "units", "pieces", "items"}


# Words every projection_words phrase contains: tested before the pattern.
_PROJECTION_HINTS = (
    "could",
    "may",
    "might",
    "would",
    "will",
    "expect",
    "project",
    "likely",
    "set to",
    "forecast",
    "on track",
)


_DESTROYED_PEOPLE = re.compile(
    r"\b(destroy(?:ed|ing))\s+(?:(?:about|around|approximately|up to|over|more than|some|"
    r"nearly|at least)\s+)?$",
    re.IGNORECASE,
)


# in the folded sentence
COUNT_HINT = re.compile(r"total|figure|number|tally|estimate|put it at|puts it at|closer to")
_CONTINUED_COUNT = re.compile(
    r"(?:\b(?:the|its|their|this|that|a|an)\s+(?:[\w'’-]+\s+){0,2}(total|figure|number|tally|estimate)"
    r"\s+(?:[\w'’-]+\s+){0,2}?(?:at|was|is|stood at|stands at|reached|rose to|came to)"
    # "They put it at 600,000", "Western agencies say it's closer to 400,000" (the count just
    # spoken of)
    r"|\b(put|puts|putting)\s+(?:it|them|this|that)\s+at"
    r"|\bit(?:'s|’s|\s+is|\s+was)\s+(closer\s+to|nearer\s+to|nearer))\s+"
    r"(?:(?:about|around|approximately|nearly|almost|over|more than|at least|some)\s+)?$",
    re.IGNORECASE,
)


_COUNT_WORDS = re.compile(r"\b(?:number|toll|tally|count|total|figure)\b", re.IGNORECASE)


def _speaker_of(figure: Figure, speakers: list[Speaker]) -> Speaker:
    """The nearest speaker whose clause can hold the figure."""
    opening = [o for o in speakers if not o.closing and o.position < figure.start]
    closing = [o for o in speakers if o.closing and o.position >= figure.end]
    before = opening[-1] if opening else None
    after = closing[0] if closing else None
    if before is not None and (
        after is None or figure.start - before.position <= after.position - figure.end
    ):
        return before
    if after is not None:
        return after
    later = [o for o in speakers if o.position >= figure.end]
    return later[0] if later else speakers[-1]


def sentence_claims(
    ctx: Context,
    sentence: Sentence,
    figures: list[Figure],
    claimant: claimants_mod.Claimant | None,
    claimant_note: str,
    bindex: battles_mod.BattleIndex,
    previous: list[Raw],
    sentences: list[Sentence],
    options: list[Speaker] | None = None,
    claimant_basis: str = "none",
    list_from: int | None = None,
) -> list[Raw]:
    """The claims of one sentence. `list_from`: where a list line starts in a sentence
    joined to the line that introduces the list; that line's loss word governs its figures."""
    s = sentence.text
    c = cues()
    items: list[Item] = []
    for i, figure in enumerate(figures):
        limit = figures[i + 1].start if i + 1 < len(figures) else len(s)
        np = noun_phrase(s, figure.end, limit)
        left_start = (
            max(items[-1].np.end, items[-1].figure.end, items[-1].words_end) if items else 0
        )
        left = s[left_start : figure.start]
        words_end = np.end
        if not np.text:
            np = label_after(s, figure.end, limit) or np
        if not np.text and items:
            # "44 servicemen - 21 from the Navy, 13 from the National Guard": a part named
            # by the body it comes from.
            np = group_from(s, figure.end, limit) or np
        if np.kind == "none" or np.text.lower() in _GENERIC_COUNTED:
            label = label_before(
                s,
                left_start,
                figure.start,
                in_list=list_from is not None and figure.start >= list_from,
            )
            if label is not None:
                np = label
                if items:  # the label is the next entry's, not the words after the figure before
                    items[-1].zone_end = min(items[-1].zone_end, label.start)
        linked = (
            bool(items)
            and len(left) <= 110
            and "." not in left.strip()
            and not (
                _LINK_VERBS.search(left) or c.blocker_verb_re.search(fold(left)) or _has_cue(left)
            )
        )
        sub = bool(items) and bool(
            _SUBCOUNT.search(left.strip() if left.strip() in "–—-(" else left)
        )
        increment = bool(items) and bool(INCREMENT_LEFT.fullmatch(left))
        items.append(
            Item(figure, np, left_start, limit, linked, sub, left_text=left, increment=increment)
        )
        items[-1].words_end = words_end
    denominators(items)
    shared_heads(s, items)
    others_of_the_same(items)
    if "respectively" in s:
        respectively(s, items)
    for item in items:
        _categorise(s, item, ctx)
    propagate(items)
    increments(items)
    if "respectively" in s:
        respective_totals(items)
    link_parents(items)
    tally = bool(previous) and is_labelled_tally(s)
    if tally or (previous and _SENTENCE_SUBCOUNT.search(s)):
        # "Army - 140, National Guard - 50.", "Among them: the Navy - 30": after a claim, each
        # label names a group within it.
        for item in items:
            m = LABEL_LEFT.search(s, item.left_start, item.figure.start)
            if m and item.category is None and item.np.kind in ("none", "person"):
                group = re.sub(r"^(?:the|its|their)\s+", "", m.group("label").strip(), flags=re.I)
                item.np = NounPhrase(
                    m.start("label"), m.end("label"), group, "person", None, None, group, True
                )
    # "Among them were 18 officers.": a part of the claim of the sentence just before,
    # counted the same way (not of a claim further back: "them" are then the last words).
    if (
        previous
        and previous[-1].sentence.index >= sentence.index - 1
        and (tally or _SENTENCE_SUBCOUNT.search(s))
    ):
        last = previous[-1]
        for item in items:
            if item.category is None and item.np.kind == "person" and item.source != "blocked":
                item.category = last.claim.category
                item.source, item.cue_word = "sub-count", "the claim before"
        if (
            (claimant is None or claimant_note == CARRIED_NOTE)
            and last.claim.claimant
            and any(i.source == "sub-count" for i in items)
        ):
            claimant = claimants_mod.Claimant(last.claim.claimant, last.claimant_person, None)
            claimant_note = "claimant: that of the total it is part of"
            claimant_basis = "inherited"

    recent = bool(previous) and previous[-1].sentence.index >= sentence.index - 2
    topic = ctx.topic if ctx.topic and ctx.topic[0] >= sentence.index - 3 else None
    if topic and recent and previous[-1].sentence.index > topic[0]:
        topic = None  # a claim after the question is what the count goes on with
    if (recent or topic) and COUNT_HINT.search(fold(s)):
        # "A later estimate put the total at 315,000.": no loss word, the count the sentence
        # before was about; "How many have died? ... put that number at 200,000": the count
        # the question asked for.
        counted = topic[1] if topic else previous[-1].claim.category
        for item in items:
            if item.category is not None or item.np.kind not in ("none", "person"):
                continue
            m = _CONTINUED_COUNT.search(item.left_text[-90:])
            if m:
                item.category, item.source = counted, "continues"
                item.cue_word = m.group(1) or m.group(2) or m.group(3)
                item.continues = True
    if not any(item.category for item in items):
        return []
    claim_date, date_note, blocked = sentence_date(ctx, s)
    if claim_date is None and not blocked and ctx.dateline_date is not None:
        claim_date, date_note = ctx.dateline_date, "date: the dateline"
    basis = _basis(s, claimant)
    out: list[Raw] = []
    index_map: dict[int, int] = {}
    sentence_claimant, sentence_note, sentence_basis = claimant, claimant_note, claimant_basis
    for i, item in enumerate(items):
        if item.category is None or item.np.kind == "blocked" or item.rate:
            continue
        claimant, claimant_note = sentence_claimant, sentence_note
        claimant_basis = sentence_basis if claimant is not None else "none"
        if options:
            best = _speaker_of(item.figure, options)
            claimant, claimant_note, claimant_basis = best.claimant, best.note, "named"
        if item.np.kind == "equipment" and item.category != "equipment":
            continue
        if item.np.kind == "none" and item.source in ("left", "chain"):
            lead_in = s[chain_start(items, i) : item.figure.start]
            if not (
                item.left_direct
                or (list_from is not None and item.figure.start >= list_from)
                or _COUNT_WORDS.search(lead_in)
                or (_PREDICATE.search(lead_in[-45:]) and NOUN_CUE.search(lead_in))
                # "deaths ... Sverdlovsk Oblast (4 439)": a tally by region in brackets
                or (lead_in.rstrip().endswith("(") and NOUN_CUE.search(lead_in))
            ):
                continue
        if _scare_quoted(s, item.figure):
            continue
        if (
            item.np.kind == "none"
            and item.np.text
            and not item.np.category
            and not (PARTITIVE_NP.match(item.np.text) or POSSESSIVE_NP.match(item.np.text))
        ):
            continue  # "two sides", "300 sol": the figure counts something that is not people
        if item.figure.text.lower() in ("one", "a", "an") and item.np.kind not in (
            "person",
            "equipment",
        ):
            continue  # "by one account", "one of them"
        if item.source in ("left", "chain") and (
            _OUT_OF.search(item.left_text) or _SHARE_OF.search(item.left_text[-60:])
        ):
            # "315,000 dead and injured, out of 360,000 troops", "lost a third of its 3,000
            # soldiers": a denominator
            continue
        if _is_distractor(s, item, figures):
            continue
        qualifier, low, high, qcue = qualify(s, item.figure)
        notes = [explanation.category_note(item.category or "", item.source, item.cue_word)]
        if qcue == "range":
            notes.append(f"qualifier: a range, '{item.figure.text}'")
        elif qcue:
            notes.append(f"qualifier: '{qcue}'")
        # Only the recent claims are context; the bound keeps huge inputs linear.
        side, unit, side_note = claim_side(
            ctx, s, item, items, claimant, previous[-40:] + out, sentence
        )
        if item.continues and topic:
            side, unit = topic[3] or side, None
            side_note = f"side: that of the count asked about ('{topic[2]}')"
        elif item.continues and previous:
            # "the Ukrainian figure was 340,650": the demonym is whose count, not whose losses
            side, unit = previous[-1].claim.side, previous[-1].claim.unit
            side_note = "side: that of the count the sentence before was about"
        notes.append(side_note)
        if claimant_note and claimant is not None:
            notes.append(claimant_note)
        clause = s[chain_start(items, i) : chain_end(items, i)]
        if item.source == "sub-count" and previous:
            # "Among them, 139 civilians": the part shares its total's battle.
            parent = previous[-1].claim
            battle = next((b for b in ctx.reference.battles if b.name == parent.battle), None)
            battle_note, battle_blocked = "battle: that of the total it is part of", True
        elif _LINK_LINE.match(s):
            # "Read also: ..." is another article's headline: only its own words count.
            hits = battles_in(ctx, clause, bindex)
            battle = battles_mod.choose(hits, claim_date or ctx.published or ctx.floor)
            battle_note, battle_blocked = "battle: a link to another article", True
        else:
            battle, battle_note, battle_blocked = claim_battle(
                ctx, s, clause, sentence, sentences, claimant, claim_date, blocked, bindex
            )
        if battle_note:
            notes.append(battle_note)
        if date_note:
            notes.append(date_note)
        claim = ExtractedClaim(
            figure_low=low,
            figure_high=high,
            qualifier=qualifier,
            category=item.category,
            side=side or "",
            unit=_plural(unit) if item.figure.low == 1 and item.category == "equipment" else unit,
            excerpt=s,
            start=sentence.start + item.figure.start,
            end=sentence.start + item.figure.end,
            claimant=claimant.name if claimant else None,
            battle=battle.name if battle else None,
            claim_date=claim_date,
            basis=basis,
            notes=notes,
            evidence=Evidence(
                item.side_basis,
                claimant_basis,
                sentence.is_heading,
                category_basis=item.source,
                figures_in_sentence=len(figures),
                list_line=list_from is not None,
            ),
        )
        raw = Raw(
            claim,
            sentence,
            sentence.is_heading,
            blocked,
            battle_blocked,
            bool(claimant and claimant.is_person),
            excerpts=[s],
        )
        past_day = _PAST_DAY.search(s) if claim_date is None else None
        said_on = ctx.statement_dates.get(claimant.name) if claimant else None
        day = said_on or ctx.published
        if past_day and day:
            raw.fallback_day = (day, f"date: '{past_day.group(0)}' up to the day it was said")
        elif claim_date is None and ctx.published and ctx.live_blog:
            raw.fallback_day = (ctx.published, "date: an entry of the live blog of that day")
        index_map[i] = len(previous) + len(out)
        if item.parent is not None and item.parent in index_map:
            raw.parent_raw = index_map[item.parent]
        elif (
            (tally or _SENTENCE_SUBCOUNT.search(s))
            and previous
            and not any(o.parent_raw is None and o is not raw for o in out)
        ):
            last = previous[-1]
            if last.sentence.index < sentence.index:
                raw.parent_raw = len(previous) - 1
        out.append(raw)
    return out


_INVARIABLE = {"aircraft", "himars", "mlrs", "equipment", "artillery", "personnel", "materiel"}


def _plural(unit: str | None) -> str | None:
    """Units are plural ('infantry fighting vehicles') even for one piece."""
    if not unit:
        return unit
    last = unit.split()[-1]
    if last.lower() in _INVARIABLE or last.endswith("s") or not last.islower():
        return unit
    return unit + ("es" if last.endswith(("sh", "ch", "x")) else "s")


def _has_cue(text: str) -> bool:
    from ingest.extraction.categories import all_cues

    return bool(all_cues(text)) or bool(cues().equipment_loss_re.search(fold(text)))


def _categorise(s: str, item: Item, ctx: Context) -> None:
    c = cues()
    np = item.np
    zone_text = s[np.end if np.end > item.figure.end else item.figure.end : item.zone_end]
    left = s[item.left_start : item.figure.start]
    around = left[-35:] + " " + s[item.figure.end : item.figure.end + 40]
    folded_around = fold(around)
    if c.rate_re.search(folded_around) and not c.one_day_re.search(folded_around):
        item.rate = True
    if np.kind == "blocked":
        return
    if np.category:
        from ingest.extraction.categories import all_cues, combine

        # A label before the figure ('killed - 800') ends where the figure starts.
        tail = np.text if np.end <= item.figure.start else np.text + zone_text[:40]
        item.category = combine(all_cues(tail), tail) or np.category
        item.source, item.cue_word = "noun phrase", np.text
    zone_category, zone_blocked = zone_cue(
        zone_text, before_figure=item.zone_end < len(s) and len(zone_text) < 110
    )
    if zone_blocked and not np.category:
        item.category = None
        item.source = "blocked"
        return
    if item.category is None and zone_category:
        item.category, item.source = zone_category, "zone"
        item.cue_word = explanation.cue_words(zone_text)
    cue, left_blocked, direct = left_cue(left)
    if cue is None and not left_blocked and _PREDICATE.search(left[-45:]):
        # "the number of people killed in <a long place> has risen to 45": the subject of a
        # verb of reaching may be long; its loss word still counts the figure.
        wide, wide_blocked, _ = left_cue(left, width=260)
        if wide is not None and not wide_blocked and _COUNT_WORDS.search(left[-260:]):
            cue = wide
    if left_blocked and item.category is None:
        item.source = "blocked"
        return
    if item.category is None and cue is not None:
        item.category, item.source, item.cue_word = cue.category, "left", cue.word
        item.left_direct = direct
        item.left_cue_start = item.left_start + max(0, len(left) - 110) + cue.start
    if np.kind == "equipment":
        loss_word = None
        zone = zone_text[:60]
        loss = c.equipment_loss_re.search(fold(zone))
        in_zone = loss is not None
        if loss is not None:
            loss_word = zone[loss.start() : loss.end()]
        else:
            window_start = max(0, len(left) - 110)
            window = left[window_start:]
            before = list(c.equipment_loss_re.finditer(fold(window)))
            if before:
                loss = before[-1]
                loss_word = window[loss.start() : loss.end()]
                item.left_cue_start = item.left_start + window_start + loss.start()
                between = left[window_start + loss.end() :]
                item.left_direct = len(between.split()) <= 4 and not re.search(
                    r"\b(?:is|are|was|were|at|to)\b", between
                )
        if loss_word is not None:
            item.category, item.cue_word = "equipment", loss_word
            # "38 tanks and 27 vehicles were destroyed": the verb after the list is its own
            item.source = (
                "zone" if in_zone and item.source != "noun phrase" else item.source or "left"
            )
        elif item.category is not None:
            item.category = "equipment" if item.category in ("casualties",) else None
    if item.category is None and np.kind == "person":
        # "destroyed 1,216 enemy soldiers": said of people, the equipment word means killed.
        m = _DESTROYED_PEOPLE.search(left[-60:])
        if m:
            item.category, item.source, item.cue_word = "killed", "left", m.group(1)
            item.left_direct = True
            item.left_cue_start = item.figure.start - len(left[-60:]) + m.start(1)
    if item.category is None and np.weak:
        item.category, item.source, item.cue_word = np.weak, "noun phrase", np.text
    if item.category is None and np.kind == "person" and ctx.exchange:  # asked last: a text scan
        # In a prisoner-exchange story, people "returned" or "freed" were held captive.
        m = (
            _RETURNED.search(np.text)
            or _RETURNED.search(zone_text[:60])
            or _RETURNED.search(left[-60:])
        )
        if m:
            item.category, item.source, item.cue_word = "captured", "zone", m.group(0)


def _scare_quoted(s: str, figure: Figure) -> bool:
    """'two hundred' in quotes is a slang word (the dead), not a count."""
    before, after = s[figure.start - 1 : figure.start], s[figure.end : figure.end + 1]
    return bool(before) and before in "‘'\"“" and after in "’'\"”"


def _is_distractor(s: str, item: Item, figures: list[Figure]) -> bool:
    before = s[max(0, item.figure.start - 30) : item.figure.start].lower().rstrip()
    if _STRONG_DISTRACTOR.search(before):
        return True
    words = cues().distractor_left
    if before.endswith(words):  # one test for the whole list before finding which word
        for word in words:
            if before.endswith(word) and (
                len(before) == len(word) or not before[-len(word) - 1].isalnum()
            ):
                return True
    if _PERCENT_AFTER.match(s, item.figure.end):
        return True
    # "deaths could reach 500,000 by the summer": a projection, not a count.
    lead_in = fold(s[max(0, item.figure.start - 50) : item.figure.start])
    if any(hint in lead_in for hint in _PROJECTION_HINTS) and cues().projection_re.search(lead_in):
        return True
    window = s[max(0, item.figure.start - 60) : item.figure.end + 60]
    return bool(_RATIO.search(fold(window)))


def _basis(s: str, claimant: claimants_mod.Claimant | None) -> str:
    c = cues()
    folded = fold(s)
    if c.confirmed_re.search(folded):
        return "confirmed"
    if c.statistical_re.search(folded):
        return "statistical"
    if c.intelligence_re.search(folded) or (claimant and "intelligence" in claimant.name.lower()):
        return "intelligence"
    if c.visual_re.search(folded):
        return "visual"
    if claimant is not None:
        words = set(re.findall(r"[\w-]+", (claimant.name + " " + claimant.role).lower()))
        if words & c.official_words or claimant.is_person and claimant.role:
            return "official"
    return "unknown"
