"""The extractor's orchestrator: one pass over the article's sentences, then the stages that
need all of them. For each sentence it settles the claimant (an attribution in the sentence, the
quote it belongs to, the sentence before in the paragraph, the last speaker up to three sentences
back, the line that introduces a list) and hands the sentence's figures to figures.py, which asks
lists.py, side_rules.py, battle_rules.py and date_rules.py. Then repeats are merged (merge.py),
periods filled (periods.py) and confidence scored (confidence.py). docs/extractor.md has the map."""

import re
from dataclasses import replace
from datetime import date
from functools import cache

from ingest.extraction import battles as battles_mod
from ingest.extraction import claimants as claimants_mod
from ingest.extraction import confidence as confidence_mod
from ingest.extraction import explanation, periods
from ingest.extraction import sides as sides_mod
from ingest.extraction.categories import all_cues
from ingest.extraction.data import cues, fold, phrase_regex
from ingest.extraction.date_rules import sentence_date
from ingest.extraction.dates import find_dates
from ingest.extraction.figures import COUNT_HINT, sentence_claims
from ingest.extraction.lists import TALLY_QUALIFIER, is_labelled_tally
from ingest.extraction.merge import merge_repeats
from ingest.extraction.metadata import read_metadata
from ingest.extraction.numbers import find_figures, has_number
from ingest.extraction.sentences import Sentence, split_sentences
from ingest.extraction.side_rules import appositive_side
from ingest.extraction.state import CARRIED_NOTE, Context, Raw, Speaker
from ingest.extraction.types import (
    Extraction,
    ReferenceData,
)

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_LIST_LINE = re.compile(
    rf"^\s*(?:[-–—•*▪●·]\s*|\d{{1,2}}[.)]\s+|(?:{_MONTHS})(?:\s+\d{{4}})?\s*[-–—:]\s*)\S"
    # a tally line written as label and figure: 'tanks - 10,540 (+12);', 'Killed: about 800'
    rf"|^\s*[A-Za-z][A-Za-z'’ ()/-]{{1,50}}?\s*(?:\s[-–—]|[-–—:])\s*{TALLY_QUALIFIER}\d"
)
# "the army said," / "the army said.": the attribution closes the clause before it.
_CLOSING_VERB = re.compile(r"\w+(?:\s+on\s+\w+)?\s*(?:[,.;]|$)")


def run(text: str, *, published: date | None, reference: ReferenceData) -> Extraction:
    metadata = read_metadata(text)
    published = published or metadata.published
    if published is not None and metadata.published != published:
        metadata = replace(metadata, published=published)
    sentences = split_sentences(text)
    bindex = battles_mod.battle_index(reference)
    ctx = Context(text, published, reference, sentences, bindex)
    attributions = [claimants_mod.find_attributions(s.text) for s in sentences]
    quote_owner = _quote_groups(sentences)
    lead_ins = _list_lead_ins(sentences)
    said_by: dict[int, claimants_mod.Claimant | None] = {}
    raws: list[Raw] = []
    previous_claimant: tuple[int, claimants_mod.Claimant | None] = (-1, None)
    last_speaker: tuple[int, claimants_mod.Claimant | None] = (-1, None)
    group_claimant: dict[int, claimants_mod.Claimant | None] = {}
    for si, sentence in enumerate(sentences):
        attrs = attributions[si]
        text_before = text[max(0, sentence.start - 6000) : sentence.start]
        backward = [a for a in attrs if a.kind == "backward"]
        if backward:
            claimant = claimants_mod.resolve(
                backward[0], state=ctx.state, reference=reference, text_before=text_before
            )
            if claimant is not None and claimant.side is None and claimant.is_person:
                claimant.side = appositive_side(claimant.name, sentence.text)
            for raw in raws:
                if raw.sentence.index != si - 1 or not claimant:
                    continue
                if CARRIED_NOTE in raw.claim.notes:
                    raw.claim.notes.remove(CARRIED_NOTE)  # a speaker further back gives way
                elif raw.claim.claimant is not None:
                    continue
                raw.claim.claimant = claimant.name
                raw.claimant_person = claimant.is_person
                raw.claim.evidence.claimant_basis = "named"
                raw.claim.notes.append(f"claimant: '{backward[0].raw}' in the next sentence")
            rest = [a for a in attrs if a.kind != "backward"]
            # "This was reported by the General Staff, Ukrinform reports": the source, not the
            # outlet relaying it, is who speaks on in the sentences after.
            relays_only = claimant is not None and all(a.relay for a in rest)
            attrs = [backward[0]] if relays_only else rest
        chosen = claimants_mod.pick(attrs)
        claimant = None
        claimant_note = ""
        claimant_basis = "none"
        named_by: claimants_mod.Attribution | None = None  # its note is written when needed
        options: list[Speaker] = []
        if chosen is not None:
            named = [a for a in attrs if not a.relay] or [chosen]
            if len(named) > 1:
                # Two speakers in one sentence ("100 RSF fighters died, the army said, while
                # the RSF said it killed 300"): each figure takes the one that follows it.
                for a in sorted(named, key=lambda a: a.position):
                    resolved = claimants_mod.resolve(
                        a, state=ctx.state, reference=reference, text_before=text_before
                    )
                    if (
                        resolved is None
                        and a.anaphor
                        and a.raw not in ("he", "she", "it", "they")
                        and claimants_mod.is_speaker(a.raw)
                    ):
                        plain = re.sub(r"^(?:the|this)\s+", "", a.raw)
                        resolved = claimants_mod.Claimant(
                            plain, False, sides_mod.side_of_phrase(plain)
                        )
                    if resolved is not None:
                        closing = a.kind == "inverted" or bool(
                            a.kind == "subject" and _CLOSING_VERB.match(sentence.text, a.position)
                        )
                        note = f"claimant: '{explanation.attribution_words(a, sentence.text)}'"
                        options.append(Speaker(a.position, resolved, note, closing))
            claimant = claimants_mod.resolve(
                chosen, state=ctx.state, reference=reference, text_before=text_before
            )
            named_by = chosen
            claimant_basis = "named"
            if len({o.claimant.name for o in options}) < 2:
                options = []
        elif si in quote_owner:
            owner = quote_owner[si]
            if owner not in group_claimant:
                picked = claimants_mod.pick(attributions[owner])
                group_claimant[owner] = (
                    claimants_mod.resolve(
                        picked,
                        state=ctx.state,
                        reference=reference,
                        text_before=text[
                            max(0, sentences[owner].start - 6000) : sentences[owner].start
                        ],
                    )
                    if picked
                    else None
                )
            claimant = group_claimant[owner]
            claimant_note = "claimant: attribution at the end of the quote"
            claimant_basis = "quote"
        elif (
            not sentence.is_heading
            and previous_claimant[0] == si - 1
            and previous_claimant[1] is not None
            and sentences[si - 1].paragraph == sentence.paragraph
        ):
            claimant = previous_claimant[1]
            claimant_note = "claimant: from the previous sentence"
            claimant_basis = "inherited"
        elif (
            not sentence.is_heading
            and last_speaker[1] is not None
            and si - last_speaker[0] <= 3
            and not any(attributions[k] for k in range(last_speaker[0] + 1, si))
        ):
            # Reported speech goes on without a new attribution, over paragraph breaks too
            # ('According to X, ...' then 'In total, ... lost ...'; a quote paragraph after
            # the speaker's): the last speaker named, up to three sentences back, as long as
            # nobody else is cited in between.
            claimant = last_speaker[1]
            claimant_note = CARRIED_NOTE
            claimant_basis = "inherited"
        previous_claimant = (si, claimant)
        if claimant is not None and attributions[si] and not sentence.is_heading:
            last_speaker = (si, claimant)  # a headline's source does not run into the body
        lead_in = lead_ins.get(si)
        if claimant is None and lead_in is not None and said_by.get(lead_in) is not None:
            claimant = said_by[lead_in]
            claimant_note = "claimant: that of the line introducing the list"
        said_by[si] = claimant
        if claimant is not None:
            if claimant.side is None and claimant.is_person:
                claimant.side = appositive_side(claimant.name, sentence.text)
            ctx.speaker_sentences.setdefault(claimant.name, []).append(si)
            if attributions[si] and find_dates(sentence.text):
                said_on = sentence_date(ctx, sentence.text)[0]
                if said_on is not None:
                    ctx.statement_dates[claimant.name] = said_on
        if lead_in is not None:
            if named_by is not None and not claimant_note:
                claimant_note = (
                    f"claimant: '{explanation.attribution_words(named_by, sentence.text)}'"
                )
            raws.extend(
                _list_line_claims(
                    ctx, sentence, sentences[lead_in], claimant, claimant_note, raws, options
                )
            )
            continue
        folded = fold(sentence.text)
        if not sentence.is_heading and not has_number(folded) and _may_hold_regex().search(folded):
            _remember_topic(ctx, sentence)
        if not has_number(folded) or not (
            _may_hold_regex().search(folded)
            or (raws and is_labelled_tally(sentence.text))
            or (raws and raws[-1].sentence.index >= si - 2 and COUNT_HINT.search(folded))
            or (ctx.topic and ctx.topic[0] >= si - 3 and COUNT_HINT.search(folded))
        ):
            continue
        figures = find_figures(sentence.text)
        if not figures:
            continue
        if named_by is not None and not claimant_note:
            claimant_note = f"claimant: '{explanation.attribution_words(named_by, sentence.text)}'"
        raws.extend(
            sentence_claims(
                ctx, sentence, figures, claimant, claimant_note, bindex, raws, sentences, options,
                claimant_basis=claimant_basis,
            )
        )  # fmt: skip
    claims = merge_repeats(raws)
    periods.fill_periods(claims, text=text, published=published, reference=reference)
    confidence_mod.score_claims(claims)
    return Extraction(metadata=metadata, claims=claims)


def _remember_topic(ctx: Context, sentence: Sentence) -> None:
    """A sentence about losses that gives no figure: what a count after it may be of."""
    found = all_cues(sentence.text)
    if not found:
        return
    cue = found[-1]
    parties = [m for m in sides_mod.mentions(sentence.text) if m.kind in ("demonym", "group")]
    side = sides_mod.resolve(parties[-1], None) if parties else None
    ctx.topic = (sentence.index, cue.category, cue.word, side)


_MONTH_LINE = re.compile(rf"^\s*(?:{_MONTHS})(?:\s+\d{{4}})?\s*[-–—:]")


def _list_lead_ins(sentences: list[Sentence]) -> dict[int, int]:
    """List lines ('- 75 soldiers', '• tanks: 12', 'March - more than 20,000') and the line
    that introduces their list ('Losses by month:'), when that line speaks of losses."""
    lead_ins: dict[int, int] = {}
    intro: int | None = None
    for si, sentence in enumerate(sentences):
        if not _LIST_LINE.match(sentence.text) or sentence.start == 0:
            intro = None if _LIST_LINE.match(sentence.text) else si
            continue
        first_of_line = si == 0 or sentences[si - 1].paragraph != sentence.paragraph
        if not first_of_line:
            continue
        if intro is not None and (
            _may_hold_regex().search(fold(sentences[intro].text))
            # "The monthly picture given by the MoD is:" after a sentence about casualties,
            # then "September - more than 38,000": month lines go on with that count
            or (
                intro > 0
                and _MONTH_LINE.match(sentence.text)
                and _may_hold_regex().search(fold(sentences[intro - 1].text))
            )
        ):
            lead_ins[si] = intro
    return lead_ins


def _list_line_claims(
    ctx: Context,
    line: Sentence,
    intro: Sentence,
    claimant: claimants_mod.Claimant | None,
    claimant_note: str,
    previous: list[Raw],
    options: list[Speaker] | None,
) -> list[Raw]:
    """A list line read as the end of the line that introduces it, so that 'Deaths by
    month:' gives 'May - 1,200' its category and 'Russian losses:' its side. Only the line's
    own figures become claims, with the line as excerpt."""
    lead = intro.text
    if not _may_hold_regex().search(fold(lead)) and intro.index > 0:
        # The introducing line only points at what the sentence before counted: read the
        # line with that sentence's loss word and party in front of it.
        before = ctx.sentences[intro.index - 1].text
        found = all_cues(before)
        if found:
            parties = [m for m in sides_mod.mentions(before) if m.kind in ("demonym", "group")]
            party = f"{before[parties[-1].start : parties[-1].end]} " if parties else ""
            lead = f"{party}{found[-1].word}: {lead}"
    joined = f"{lead} {line.text}"
    offset = len(lead) + 1
    figures = find_figures(joined)
    if not any(f.start >= offset for f in figures):
        return []
    sentence = replace(line, text=joined, start=line.start - offset, is_heading=False)
    raws = sentence_claims(
        ctx, sentence, figures, claimant, claimant_note, ctx.bindex, previous, ctx.sentences,
        options, list_from=offset,
    )  # fmt: skip
    kept: list[Raw] = []
    for raw in raws:
        if raw.claim.start < line.start:
            continue
        raw.claim.excerpt = line.text
        raw.excerpts = [line.text]
        raw.sentence = line
        raw.parent_raw = None
        kept.append(raw)
    return kept


@cache
def _may_hold_regex() -> re.Pattern[str]:
    """Every claim needs a loss word somewhere in its sentence, or follows a total ('Among
    them, 139 civilians'). Sentences with neither are skipped before any parsing. Searched
    in the folded sentence."""
    raw = cues().raw
    words = [w for v in raw["category_words"].values() for w in v]
    words += raw["equipment_loss_words"] + ["pow", "pows", "prisoner", "prisoners", "hostages"]
    words += ["returned", "return", "returns", "freed", "released", "swapped", "brought home"]
    words += [
        "among them",
        "of them",
        "of these",
        "of this figure",
        "of those",
        "this includes",
        "this number includes",
        "among the dead",
        "among those killed",
    ]
    return phrase_regex(words, folded=True)


def _quote_groups(sentences: list[Sentence]) -> dict[int, int]:
    """Sentences inside a quote that closes later point to the sentence that closes it."""
    owner: dict[int, int] = {}
    open_at: int | None = None
    for i, s in enumerate(sentences):
        opens, closes = s.text.count("“"), s.text.count("”")
        straight = s.text.count('"')
        if open_at is not None and sentences[i - 1].paragraph != s.paragraph:
            # A quote that runs over paragraphs leaves each one open and opens the next with
            # a quote mark again (news style): that mark goes on the quote. A paragraph that
            # opens otherwise ends it.
            lead = s.text.lstrip()[:1]
            if lead == "“":
                opens -= 1
            elif lead == '"':
                straight -= 1
            else:
                open_at = None
        if open_at is None:
            if opens > closes or (straight % 2 == 1 and s.text.lstrip().startswith('"')):
                open_at = i
        else:
            if closes > opens or straight % 2 == 1:
                for j in range(open_at, i):
                    owner[j] = i
                open_at = None
    return owner
