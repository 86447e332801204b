"""The extractor's stages, in order: sentences, figures, what each figure counts, whose losses,
who says so, when, which battle; then repeats merged and sub-counts linked to their totals."""

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, cached_property

from ingest.extraction import battles as battles_mod
from ingest.extraction import claimants as claimants_mod
from ingest.extraction import confidence as confidence_mod
from ingest.extraction import explanation, periods
from ingest.extraction import sides as sides_mod
from ingest.extraction.categories import (
    NounPhrase,
    _classify,
    all_cues,
    left_cue,
    noun_phrase,
    zone_cue,
)
from ingest.extraction.data import cues, fold, phrase_regex, side_table
from ingest.extraction.dates import (
    dateline,
    find_dates,
    has_month_only,
    latest_full_date,
    needs_floor,
    resolve,
)
from ingest.extraction.metadata import read_metadata
from ingest.extraction.numbers import NUMBER_WORDS, Figure, find_figures, has_number
from ingest.extraction.qualifiers import qualify
from ingest.extraction.sentences import Sentence, split_sentences
from ingest.extraction.types import (
    BattleRef,
    Evidence,
    ExtractedClaim,
    Extraction,
    ReferenceData,
)

_LINK_VERBS = re.compile(
    r"\b(?:was|were|is|are|has|have|had|said|says|told|added|stated|claimed|reported|"
    r"announced|noted|according|estimated|estimates|lost|killed|destroyed|captured|while|"
    r"which|who|but|out of)\b",
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
    r"among those killed|this includes|this number includes)\b",
    re.IGNORECASE,
)
_RATIO = re.compile(  # searched in the folded text
    r"\bfor (?:every|each|one)\b|\bratio\b|\b\w+ (?:for|to) (?:every|each)\b|"
    r"\b(?:one|1) \w+ (?:soldier )?for (?:every |each )?(?:\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten)\b"
)
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent|per cent)", re.IGNORECASE)
_STRIKE_WORDS = re.compile(
    r"\b(?:strikes?|airstrikes?|air strikes?|shell(?:ing|ed|s)?|bomb(?:s|ing|ed)?|"
    r"bombardment|missiles?|drone attack|drone strike|raids?)\b",
    re.IGNORECASE,
)
_DATE_LEAD = re.compile(
    r"(?:\b(?:on|as of|dated)\s+(?:the\s+)?$|\b(?:said|says|told|reported|announced|stated|"
    r"added|wrote|claimed|confirmed|noted)\s+(?:on\s+)?$|^\s*(?:On)\s+$)",
    re.IGNORECASE,
)
_LAST_N = re.compile(
    r"\b(?:in|over|during)\s+the\s+(?:last|past)\s+(?P<n>\d+|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|24|48|72)\s+(?P<unit>hours|days|weeks|months|years)\b",
    re.IGNORECASE,
)
_PAST_DAY = re.compile(
    r"\b(?:in|over|during|for)\s+the\s+(?:last|past|previous)\s+(?:24\s+hours|day)\b"
    r"|\b(?:past|last)\s+24\s+hours\b",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_AS_OF = re.compile(r"\bas\s+of\s+$", re.IGNORECASE)
_PREDICATE = re.compile(
    r"\b(?:is|are|was|were|be|stood|stands|stand|reached|reaches|rose|risen|climbed|amounted|"
    r"totaled|totalled|totals|numbered|exceeded|exceeds|surpassed|surpasses|topped|tops|passed|"
    r"crossed|neared|approached|grew|grown|increased|jumped|soared|hit|came|come|"
    r"at|to|range of)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_NOUN_CUE = re.compile(r"\b(?:casualties|losses|deaths|death toll|toll|dead)\b", re.IGNORECASE)
_OWNER_GAP = re.compile(r"(?:['’]s?)?\s+(?:[a-z]+\s+){0,2}")  # "Russia's irreplaceable "
_OWN_FORCES = re.compile(
    r"\b(?:its|their|our)\s+(?:own\s+)?(?:forces|troops|army|fighters|units|soldiers|"
    r"servicemen|military|defenders)\b(?:\s+(?:have|had|has))?\s*$",
    re.IGNORECASE,
)
_COMPARISON = re.compile(r"\b(?:compared (?:to|with)|versus|vs\.?|against|while)\b", re.I)
_AGENT_NOUN = re.compile(
    r"\s*(?:-\w+\s+)?(?:captivity|strikes?|airstrikes?|attacks?|fire|shelling|bombardment|"
    r"bombings?|raids?|offensive|assault|missiles?|drones?|air|artillery|occupation|custody|"
    r"prisons?)\b",
    re.IGNORECASE,
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:for|against|in|with|by|from|to|into|on|across|throughout|inside|near|around|at|of|"
    r"over|under|toward|towards)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_POSSESSIVE_NP = re.compile(r"^(?:of\s+)?(?:its|their|our|his|her|my)\b", re.IGNORECASE)
_PARTITIVE_NP = re.compile(r"^of\s+(?:them|those|these|whom|which)\b", re.IGNORECASE)
_STRONG_DISTRACTOR = re.compile(
    r"(?:population of|pre-war population|factor of|\baged|\$|€|£|\bworth|\bcost)\s*"
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_WEAK_WORDS = re.compile(r"\b(?:pows?|prisoners?|hostages)\b", re.IGNORECASE)
_HOLDING = re.compile(
    r"\b(?:hold(?:s|ing)?|held|keep(?:s|ing)?|kept|seized|seizing|abducted|abducting|kidnapped|"
    r"kidnapping|took|taken|taking)\b",
    re.IGNORECASE,
)
_LINK_LINE = re.compile(
    r"^\s*(?:read (?:also|more)|see also|related|more on this|also read)\s*:", re.IGNORECASE
)
_OWN_SIDE_CLAIMANT = re.compile(
    r"\b(?:health|civil defen[cs]e|emergenc|medical|medics|hospital|ombuds|prosecutor|mayor|"
    r"governor|regional|municipal|city council|local authorit|rescue)",
    re.IGNORECASE,
)
_RETURNED = re.compile(
    r"\b(?:return(?:ed|s)?|brought (?:back|home)|freed|released|swapped|handed over)\b",
    re.IGNORECASE,
)
_EXCHANGE_STORY = re.compile(  # searched in the folded text
    r"\b(?:prisoner exchange|exchange of prisoners|exchanges?|prisoner swap|swap|captivity|"
    r"prisoners of war|pows?)\b"
)
_RETURNED_TO = re.compile(
    r"\b(?:returned|repatriated|handed\s+(?:over|back)|transferred|brought\s+back)\s+"
    r"(?:home\s+)?to\s+(?P<c>[A-Z][\w ]{2,20})"
)
_PROVINCE = re.compile(r"\b(?:province|governorate) of [A-Z]\w+|\b[A-Z]\w+ province\b")
_OUT_OF = re.compile(r"(?<!put )(?<!knocked )\bout\s+of\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_GENERIC_COUNTED = {"people", "persons", "units", "pieces", "items"}
# The label of a tally entry, between a list separator and the dash or colon before the figure
# (and its qualifier: 'personnel - about 24,500').
_TALLY_QUALIFIER = (
    r"(?:(?:about|approximately|around|nearly|almost|over|more than|at least|up to|some)\s+|~\s*)?"
)
_LABEL_LEFT = re.compile(
    r"(?:^|[,;:(]|\band\b)\s*(?:[•*▪●·]\s*)?"
    rf"(?P<label>[A-Za-z][A-Za-z'’ -]{{1,50}}?)\s*(?:\s[-–—]|[-–—:])\s*{_TALLY_QUALIFIER}$"
)
# "KYIV, Oct 4 (Reuters) -", "MOSCOW —": where the story was filed, not a party to it.
_DATELINE_PREFIX = re.compile(
    r"^[A-Z]{3,}[A-Z'’./ -]{0,40}(?:,\s*[A-Z][a-z]+\.?)?(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?)?\s*(?:\([^)]{1,40}\)\s*)?[-–—:]\s+"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_LIST_LINE = re.compile(
    rf"^\s*(?:[-–—•*▪●·]\s*|\d{{1,2}}[.)]\s+|(?:{_MONTHS})(?:\s+\d{{4}})?\s*[-–—:]\s*)\S"
    # a tally line written as label and figure: 'tanks - 10,540 (+12);', 'Killed: about 800'
    rf"|^\s*[A-Za-z][A-Za-z'’ ()/-]{{1,50}}?\s*(?:\s[-–—]|[-–—:])\s*{_TALLY_QUALIFIER}\d"
)
# "the army said," / "the army said.": the attribution closes the clause before it.
_CLOSING_VERB = re.compile(r"\w+(?:\s+on\s+\w+)?\s*(?:[,.;]|$)")
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
_ALL_SIDES_HINT = re.compile(r"both|all sides|either side|combined")  # in the folded text
_LOSSES_OF = re.compile(r"[\w'’]+\s+(?:of|among|for)\s+(?:the\s+)?(?P<who>[\w'’]+(?:\s+[\w'’]+)?)")
_BETWEEN_SIDES = re.compile(r"\bbetween\s+[^,.;]{2,40}?\s+and\s+[^,.;]{2,40}?\s+(?=has|have|had)")
_DESTROYED_PEOPLE = re.compile(
    r"\b(destroy(?:ed|ing))\s+(?:(?:about|around|approximately|up to|over|more than|some|"
    r"nearly|at least)\s+)?$",
    re.IGNORECASE,
)
# A sentence that is only labels and figures: 'Army - 140, National Guard - 50, Navy - 9.'
_LABELLED_TALLY = re.compile(
    rf"^(?:\s*(?:and\s+)?[A-Za-z][\w'’ -]{{1,40}}?\s*(?:\s[-–—]|:)\s*{_TALLY_QUALIFIER}"
    r"\d[\d,.]*(?:\s*\(\s*\+\s*\d[\d,.]*\s*\))?(?:\s+(?:people|persons|units))?\s*[,;.]?)+\s*$"
)
_LABEL_RIGHT = re.compile(r"\s*[-–—]\s*(?P<label>[A-Za-z][\w'’ ]{1,40}?)\s*(?=[,;.)]|\band\b|$)")
_FROM_GROUP = re.compile(
    r"\s+(?:from|of)\s+(?:the\s+)?(?P<label>[A-Z][\w'’]*(?:\s+(?:of\s+)?[A-Z][\w'’]*){0,5})"
    r"(?=\s*(?:[,;.)–—]|\s-\s|and\b|$))"
)
_RESPECTIVELY = re.compile(r",?\s*respectively\b", re.IGNORECASE)
_PLAIN_AND = re.compile(r"\s*(?:,|,?\s*(?:and|or))\s*")
_COUNT_HINT = re.compile(r"total|figure|number|tally|estimate")  # in the folded sentence
_CONTINUED_COUNT = re.compile(
    r"\b(?:the|its|their|this|that|a|an)\s+(?:[\w'’-]+\s+){0,2}(total|figure|number|tally|estimate)"
    r"\s+(?:[\w'’-]+\s+){0,2}?(?:at|was|is|stood at|stands at|reached|rose to|came to)\s+"
    r"(?:(?:about|around|approximately|nearly|almost|over|more than|at least|some)\s+)?$",
    re.IGNORECASE,
)
_PARTITIVE_LEFT = re.compile(r"\b(?:of|among)\s+(?:whom|them|which|those|these)\b", re.IGNORECASE)
_LABEL_MARKS = ("-", "–", "—", ":")
_INCREMENT_LEFT = re.compile(r"\s*\(\s*\+\s*")
_COUNT_WORDS = re.compile(r"\b(?:number|toll|tally|count|total|figure)\b", re.IGNORECASE)


_CARRIED_NOTE = "claimant: the speaker of a sentence before"


@dataclass
class _Item:
    figure: Figure
    np: NounPhrase
    left_start: int
    zone_end: int
    linked: bool
    subcount: bool
    category: str | None = None
    source: str = ""
    cue_word: str = ""
    left_direct: bool = False
    left_cue_start: int = -1
    left_text: str = ""
    rate: bool = False
    parent: int | None = None
    side_basis: str = ""  # how _side decided, as a code (Evidence.side_basis)
    increment: bool = False  # '7,600 tanks (+12)': the day's change of the figure before
    continues: bool = False  # 'put the total at 315,000': the count of the claim just before
    words_end: int = 0  # end of the words after the figure, also when a label replaced them
    shares_head: bool = False  # '86 Israeli and 24 foreign hostages': the next figure's noun


@dataclass(frozen=True)
class _Speaker:
    """One of several speakers in a sentence. A closing one ('..., the army said.') speaks
    for the figures before it, an opening one ('the RSF said it killed 300') for those after."""

    position: int
    claimant: claimants_mod.Claimant
    note: str
    closing: bool


def _speaker_of(figure: Figure, speakers: list[_Speaker]) -> _Speaker:
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


@dataclass
class _Raw:
    claim: ExtractedClaim
    sentence: Sentence
    heading: bool
    date_blocked: bool
    battle_blocked: bool
    claimant_person: bool
    parent_raw: int | None = None
    merged_into: int | None = None
    excerpts: list[str] = field(default_factory=list)
    # "over the past 24 hours" with no day named: the published day, unless the claimant's
    # dated statement gives another (the merge decides, after sharing dates by claimant).
    one_day: tuple[date, str] | None = None


class _Context:
    """What the stages share about one article. Whole-text facts are worked out on first use:
    most articles never need the date floor, the lead's battle or the dominant party."""

    def __init__(
        self, text: str, published: date | None, reference: ReferenceData,
        sentences: list[Sentence], bindex: battles_mod.BattleIndex,
    ) -> None:  # fmt: skip
        self.text = text
        self.published = published
        self.reference = reference
        self.sentences = sentences
        self.bindex = bindex
        self.state = claimants_mod.ArticleClaimants()
        self.speaker_sentences: dict[str, list[int]] = {}
        self.statement_dates: dict[str, date] = {}  # the day each claimant last spoke on
        # The last sentence that spoke of losses without a figure ("How many soldiers have
        # died?"): (sentence index, category, its loss word, the party it names).
        self.topic: tuple[int, str, str, str | None] | None = None
        self.battle_cache: dict[str, list[battles_mod.BattleHit]] = {}

    @cached_property
    def exchange(self) -> bool:
        return bool(_EXCHANGE_STORY.search(fold(self.text)))

    @cached_property
    def floor(self) -> date | None:
        return None if self.published else latest_full_date(self.text)

    @cached_property
    def lead_battle(self) -> BattleRef | None:
        hits = _lead_hits(self.sentences, self.bindex)
        # The floor of an undated article is a pass over the text: only for a lead with a battle.
        return battles_mod.choose(hits, self.published or self.floor) if hits else None

    @cached_property
    def lead_named(self) -> str:
        """The words that name the lead's battle by its name or an alias, if they do."""
        lead = self.lead_battle
        if lead is None:
            return ""
        for s in self.sentences[:8]:
            for hit in _battles_in(self, s.text, self.bindex):
                if hit.strong and hit.battle is lead:
                    return explanation.name_at(s.text, hit.start)
        return ""

    @cached_property
    def _parties(self) -> tuple[str | None, str | None]:
        return _article_parties(self.text)

    @property
    def article_side(self) -> str | None:
        return self._parties[0]

    @property
    def article_country(self) -> str | None:
        return self._parties[1]

    @cached_property
    def dateline_date(self) -> date | None:
        mention = dateline(self.text)
        return resolve(mention, published=self.published, floor=self.floor) if mention else None


def run(text: str, *, published: date | None, reference: ReferenceData) -> Extraction:
    metadata = read_metadata(text)
    published = published or metadata.published
    if published is not None and metadata.published != published:
        metadata = replace(metadata, published=published)
    sentences = split_sentences(text)
    bindex = battles_mod.battle_index(reference)
    ctx = _Context(text, published, reference, sentences, bindex)
    attributions = [claimants_mod.find_attributions(s.text) for s in sentences]
    quote_owner = _quote_groups(sentences)
    lead_ins = _list_lead_ins(sentences)
    said_by: dict[int, claimants_mod.Claimant | None] = {}
    raws: list[_Raw] = []
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
                claimant.side = _appositive_side(claimant.name, sentence.text)
            for raw in raws:
                if raw.sentence.index != si - 1 or not claimant:
                    continue
                if _CARRIED_NOTE in raw.claim.notes:
                    raw.claim.notes.remove(_CARRIED_NOTE)  # a speaker further back gives way
                elif raw.claim.claimant is not None:
                    continue
                raw.claim.claimant = claimant.name
                raw.claimant_person = claimant.is_person
                raw.claim.evidence.claimant_basis = "named"
                raw.claim.notes.append(f"claimant: '{backward[0].raw}' in the next sentence")
            attrs = [a for a in attrs if a.kind != "backward"]
        chosen = claimants_mod.pick(attrs)
        claimant = None
        claimant_note = ""
        claimant_basis = "none"
        named_by: claimants_mod.Attribution | None = None  # its note is written when needed
        options: list[_Speaker] = []
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
                        options.append(_Speaker(a.position, resolved, note, closing))
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
            claimant_note = _CARRIED_NOTE
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
                claimant.side = _appositive_side(claimant.name, sentence.text)
            ctx.speaker_sentences.setdefault(claimant.name, []).append(si)
            if attributions[si] and find_dates(sentence.text):
                said_on = _sentence_date(ctx, sentence.text)[0]
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
            or (raws and _is_labelled_tally(sentence.text))
            or (raws and raws[-1].sentence.index >= si - 2 and _COUNT_HINT.search(folded))
            or (ctx.topic and ctx.topic[0] >= si - 3 and _COUNT_HINT.search(folded))
        ):
            continue
        figures = find_figures(sentence.text)
        if not figures:
            continue
        if named_by is not None and not claimant_note:
            claimant_note = f"claimant: '{explanation.attribution_words(named_by, sentence.text)}'"
        raws.extend(
            _sentence_claims(
                ctx, sentence, figures, claimant, claimant_note, bindex, raws, sentences, options,
                claimant_basis=claimant_basis,
            )
        )  # fmt: skip
    claims = _merge(raws)
    periods.fill_periods(claims, text=text, published=published, reference=reference)
    confidence_mod.score_claims(claims)
    return Extraction(metadata=metadata, claims=claims)


# --- one sentence -----------------------------------------------------------------------------


def _remember_topic(ctx: _Context, sentence: Sentence) -> None:
    """A sentence about losses that gives no figure: what a count after it may be of."""
    found = all_cues(sentence.text)
    if not found:
        return
    cue = found[-1]
    parties = [m for m in sides_mod.mentions(sentence.text) if m.kind in ("demonym", "group")]
    side = sides_mod.resolve(parties[-1], None) if parties else None
    ctx.topic = (sentence.index, cue.category, cue.word, side)


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
        if intro is not None and _may_hold_regex().search(fold(sentences[intro].text)):
            lead_ins[si] = intro
    return lead_ins


def _list_line_claims(
    ctx: _Context,
    line: Sentence,
    intro: Sentence,
    claimant: claimants_mod.Claimant | None,
    claimant_note: str,
    previous: list[_Raw],
    options: list[_Speaker] | None,
) -> list[_Raw]:
    """A list line read as the end of the line that introduces it, so that 'Deaths by
    month:' gives 'May - 1,200' its category and 'Russian losses:' its side. Only the line's
    own figures become claims, with the line as excerpt."""
    joined = f"{intro.text} {line.text}"
    offset = len(intro.text) + 1
    figures = find_figures(joined)
    if not any(f.start >= offset for f in figures):
        return []
    sentence = replace(line, text=joined, start=line.start - offset, is_heading=False)
    raws = _sentence_claims(
        ctx, sentence, figures, claimant, claimant_note, ctx.bindex, previous, ctx.sentences,
        options, list_from=offset,
    )  # fmt: skip
    kept: list[_Raw] = []
    for raw in raws:
        if raw.claim.start < line.start:
            continue
        raw.claim.excerpt = line.text
        raw.excerpts = [line.text]
        raw.sentence = line
        raw.parent_raw = None
        kept.append(raw)
    return kept


def _sentence_claims(
    ctx: _Context,
    sentence: Sentence,
    figures: list[Figure],
    claimant: claimants_mod.Claimant | None,
    claimant_note: str,
    bindex: battles_mod.BattleIndex,
    previous: list[_Raw],
    sentences: list[Sentence],
    options: list[_Speaker] | None = None,
    claimant_basis: str = "none",
    list_from: int | None = None,
) -> list[_Raw]:
    """The claims of one sentence. `list_from`: where a list line starts in a sentence
    joined to the line that introduces the list; that line's loss word governs its figures."""
    s = sentence.text
    c = cues()
    items: list[_Item] = []
    for i, figure in enumerate(figures):
        limit = figures[i + 1].start if i + 1 < len(figures) else len(s)
        np = noun_phrase(s, figure.end, limit)
        left_start = (
            max(items[-1].np.end, items[-1].figure.end, items[-1].words_end) if items else 0
        )
        left = s[left_start : figure.start]
        words_end = np.end
        if not np.text:
            np = _label_after(s, figure.end, limit) or np
        if not np.text and items:
            # "44 servicemen - 21 from the Navy, 13 from the National Guard": a part named
            # by the body it comes from.
            np = _group_from(s, figure.end, limit) or np
        if np.kind == "none" or np.text.lower() in _GENERIC_COUNTED:
            label = _label_before(s, left_start, figure.start)
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
        increment = bool(items) and bool(_INCREMENT_LEFT.fullmatch(left))
        items.append(
            _Item(figure, np, left_start, limit, linked, sub, left_text=left, increment=increment)
        )
        items[-1].words_end = words_end
    _denominators(items)
    _shared_heads(s, items)
    if "respectively" in s:
        _respectively(s, items)
    for item in items:
        _categorise(s, item, ctx)
    _propagate(items)
    _increments(items)
    if "respectively" in s:
        _respective_totals(items)
    _link_parents(items)
    tally = bool(previous) and _is_labelled_tally(s)
    if tally or (previous and _SENTENCE_SUBCOUNT.search(s)):
        # "Army - 140, National Guard - 50.", "Among them: the Navy - 30": after a claim, each
        # label names a group within it.
        for item in items:
            m = _LABEL_LEFT.search(s, item.left_start, item.figure.start)
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
            (claimant is None or claimant_note == _CARRIED_NOTE)
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
    if (recent or topic) and _COUNT_HINT.search(fold(s)):
        # "A later estimate put the total at 315,000.": no loss word, the count the sentence
        # before was about; "How many have died? ... put that number at 200,000": the count
        # the question asked for.
        counted = topic[1] if topic else previous[-1].claim.category
        for item in items:
            if item.category is not None or item.np.kind not in ("none", "person"):
                continue
            m = _CONTINUED_COUNT.search(item.left_text[-90:])
            if m:
                item.category, item.source, item.cue_word = counted, "continues", m.group(1)
                item.continues = True
    if not any(item.category for item in items):
        return []
    claim_date, date_note, period_start, period_end, blocked = _sentence_date(ctx, s)
    if claim_date is None and not blocked and ctx.dateline_date is not None:
        claim_date, date_note = ctx.dateline_date, "date: the dateline"
    basis = _basis(s, claimant)
    out: list[_Raw] = []
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
            lead_in = s[_chain_start(items, i) : item.figure.start]
            if not (
                item.left_direct
                or (list_from is not None and item.figure.start >= list_from)
                or _COUNT_WORDS.search(lead_in)
                or (_PREDICATE.search(lead_in[-45:]) and _NOUN_CUE.search(lead_in))
                # "deaths ... Sverdlovsk Oblast (4 439)": a tally by region in brackets
                or (lead_in.rstrip().endswith("(") and _NOUN_CUE.search(lead_in))
            ):
                continue
        if _scare_quoted(s, item.figure):
            continue
        if (
            item.np.kind == "none"
            and item.np.text
            and not item.np.category
            and not (_PARTITIVE_NP.match(item.np.text) or _POSSESSIVE_NP.match(item.np.text))
        ):
            continue  # "two sides", "300 sol": the figure counts something that is not people
        if item.figure.text.lower() in ("one", "a", "an") and item.np.kind not in (
            "person",
            "equipment",
        ):
            continue  # "by one account", "one of them"
        if item.source in ("left", "chain") and _OUT_OF.search(item.left_text):
            continue  # "315,000 dead and injured, out of 360,000 troops": a denominator
        if _is_distractor(s, item, figures):
            continue
        qualifier, low, high, qcue = qualify(s, item.figure)
        notes = [explanation.category_note(item.category or "", item.source, item.cue_word)]
        if qcue == "range":
            notes.append(f"qualifier: a range, '{item.figure.text}'")
        elif qcue:
            notes.append(f"qualifier: '{qcue}'")
        # Only the recent claims are context; the bound keeps huge inputs linear.
        side, unit, side_note = _side(ctx, s, item, items, claimant, previous[-40:] + out, sentence)
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
        clause = s[_chain_start(items, i) : _chain_end(items, i)]
        if item.source == "sub-count" and previous:
            # "Among them, 139 civilians": the part shares its total's battle.
            parent = previous[-1].claim
            battle = next((b for b in ctx.reference.battles if b.name == parent.battle), None)
            battle_note, battle_blocked = "battle: that of the total it is part of", True
        elif _LINK_LINE.match(s):
            # "Read also: ..." is another article's headline: only its own words count.
            hits = _battles_in(ctx, clause, bindex)
            battle = battles_mod.choose(hits, claim_date or ctx.published or ctx.floor)
            battle_note, battle_blocked = "battle: a link to another article", True
        else:
            battle, battle_note, battle_blocked = _battle(
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
            period_start=period_start,
            period_end=period_end,
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
        raw = _Raw(
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
        if past_day and (said_on or ctx.published):
            raw.one_day = (said_on or ctx.published, past_day.group(0))  # type: ignore[assignment]
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


def _appositive_side(name: str, sentence: str) -> str | None:
    """'Serhiy Cherevaty, spokesman for the ... armed forces of Ukraine': the party a person
    speaks for, read from the words set off after their name."""
    surname = name.split()[-1]
    m = re.search(rf"\b{re.escape(surname)}\b,\s*(?:the\s+|a\s+)?([^.;“”\"]{{3,120}})", sentence)
    if not m:
        return None
    return sides_mod.side_of_phrase(m.group(1).split(",")[0] if "," in m.group(1) else m.group(1))


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


def _categorise(s: str, item: _Item, ctx: _Context) -> None:
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
            item.source = item.source or "left"
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


def _denominators(items: list[_Item]) -> None:
    """'lost 2,200 of its 3,500 tanks': the second figure is a stock, the first takes its noun."""
    for i in range(len(items) - 1):
        item, nxt = items[i], items[i + 1]
        if (
            re.fullmatch(
                r"of\s+(?:its|their|the|his|her|our|an?\s+estimated)", item.np.text, re.IGNORECASE
            )
            and nxt.figure.start - item.np.end <= 2
        ):
            item.np = replace(nxt.np, start=item.np.start)
            item.zone_end = nxt.zone_end
            nxt.np = replace(nxt.np, kind="blocked", category=None, weak=None)
            nxt.linked = False


def _propagate(items: list[_Item]) -> None:
    """A list shares its verb: '17 civilians, 10 rebels and 10 soldiers were killed',
    'lost 279,440 troops, 4,732 tanks and ...'."""
    for i in range(len(items) - 2, -1, -1):
        item, nxt = items[i], items[i + 1]
        if (
            item.category is None
            and item.source != "blocked"
            and item.np.kind in ("person", "equipment")
            and nxt.linked
            # "a force of 150,000 troops, of whom 30,000 were killed": the whole is not killed
            and not _PARTITIVE_LEFT.search(nxt.left_text)
            and not _PARTITIVE_NP.match(nxt.np.text)
            and (
                nxt.source in ("zone", "chain-back")
                # "52 children and 31 women killed by shelling": a participle after the noun
                or (
                    nxt.source == "noun phrase"
                    and (
                        (nxt.np.category and not nxt.np.weak)
                        or (nxt.np.weak and item.shares_head)  # "86 Israeli and 24 ... hostages"
                    )
                    and not nxt.subcount
                    and _PLAIN_AND.fullmatch(nxt.left_text)
                )
            )
            and nxt.category
        ):
            item.category = _fit(nxt.category, item.np)
            item.source, item.cue_word = "chain-back", nxt.cue_word
    carrier: _Item | None = None
    for i in range(1, len(items)):
        item, prev = items[i], items[i - 1]
        if prev.category and (
            prev.source in ("left", "chain", "chain-back", "zone") or prev.np.kind == "equipment"
        ):
            carrier = prev
        elif not item.linked:
            carrier = None
        if not item.linked:
            carrier = None if not prev.category else carrier
        if item.linked and prev.category and _COMPARISON.search(item.left_text):
            carrier = prev  # "35,500 killed ..., compared to roughly 15,500 for Ukraine"
            item.left_direct = True
        if (
            item.category is None
            and item.source != "blocked"
            and item.linked
            and carrier is not None
        ):
            prev = carrier
            category = prev.category
            if prev.np.kind == "equipment" and item.np.kind == "person":
                category = "casualties" if prev.source == "left" else None
            if category:
                item.category = _fit(category, item.np)
                item.source, item.cue_word = "chain", prev.cue_word
                item.left_direct = item.left_direct or prev.left_direct
                item.left_cue_start = prev.left_cue_start
        if item.category is None and item.subcount and prev.category and item.np.kind != "blocked":
            item.category = _fit(prev.category, item.np)
            item.source, item.cue_word = "chain", "sub-count of the figure before"


def _is_labelled_tally(s: str) -> bool:
    return any(mark in s for mark in _LABEL_MARKS) and bool(_LABELLED_TALLY.match(s))


def _label_before(s: str, left_start: int, figure_start: int) -> NounPhrase | None:
    """'tanks - 1,077, armoured vehicles - 2,610', 'killed: 800': in a tally written as
    label and figure, the label before the dash or colon says what the figure counts."""
    left = s[max(left_start, figure_start - 80) : figure_start]
    if not any(mark in left for mark in _LABEL_MARKS):
        return None  # the pattern is tried at every place: first look for its dash or colon
    m = _LABEL_LEFT.search(s, left_start, figure_start)
    if m is None:
        return None
    label = _classify(m.group("label"), m.start("label"), m.end("label"))
    return label if label.kind in ("person", "equipment") else None


def _shared_heads(s: str, items: list[_Item]) -> None:
    """'140 Lebanese and 12 foreign nationals': a figure followed by a demonym alone shares
    the noun of the next figure, as the list says."""
    for item, nxt in zip(items, items[1:], strict=False):
        if item.np.kind != "none" or " " in item.np.text.strip() or not item.np.text:
            continue
        found = sides_mod.mentions(item.np.text)
        if (
            found
            and found[0].kind in ("demonym", "group")
            and nxt.np.kind == "person"
            and re.fullmatch(r"\s*(?:,|and|or)\s*", s[item.np.end : nxt.figure.start])
        ):
            item.np = replace(item.np, kind="person")
            item.shares_head = True


def _label_after(s: str, figure_end: int, limit: int) -> NounPhrase | None:
    """'213 - servicemen, 17 - civilians': the label after a dash."""
    if not any(mark in s[figure_end : figure_end + 3] for mark in "-–—"):
        return None
    m = _LABEL_RIGHT.match(s, figure_end, limit)
    if m is None:
        return None
    label = _classify(m.group("label"), m.start("label"), m.end("label"))
    return label if label.kind in ("person", "equipment") else None


def _group_from(s: str, figure_end: int, limit: int) -> NounPhrase | None:
    m = _FROM_GROUP.match(s, figure_end, limit)
    if m is None:
        return None
    group = m.group("label").strip()
    return NounPhrase(m.start("label"), m.end("label"), group, "person", None, None, group, True)


def _respectively(s: str, items: list[_Item]) -> None:
    """'lost 500,000 and 8,000 soldiers and tanks, respectively': the nouns after the last
    figure of a run go one to each figure, in order."""
    m = _RESPECTIVELY.search(s)
    if m is None:
        return
    for end in range(len(items)):
        item = items[end]
        if not (item.np.start <= m.start() <= item.zone_end) or not item.np.text:
            continue
        start = end
        while start > 0 and items[start].linked and not items[start - 1].np.text:
            start -= 1
        parts = [p for p in re.split(r"\s*(?:,|\band\b)\s*", item.np.text) if p]
        run = items[start : end + 1]
        if len(run) < 2 or len(parts) != len(run):
            return
        at = item.np.start
        for part, owner in zip(parts, run, strict=True):
            at = s.index(part, at)
            owner.np = _classify(part, at, at + len(part))
            at += len(part)
        return


def _respective_totals(items: list[_Item]) -> None:
    """'destroyed 9 tanks and 27 armoured vehicles, bringing the totals to 9,300 and 18,900,
    respectively': the second run of figures counts what the first run counts, in order."""
    runs: list[list[_Item]] = []
    for item in items:
        if runs and _PLAIN_AND.fullmatch(item.left_text):
            runs[-1].append(item)
        else:
            runs.append([item])
    if len(runs) < 2:
        return
    last = runs[-1]
    if any(item.category for item in last) or any(item.np.text for item in last[:-1]):
        return
    for earlier in reversed(runs[:-1]):
        if len(earlier) == len(last) and all(item.category for item in earlier):
            for item, model in zip(last, earlier, strict=True):
                item.np = replace(model.np, start=item.figure.end, end=item.figure.end)
                item.category, item.source = model.category, "respectively"
                item.cue_word = model.cue_word
                item.left_direct = True
            return


def _increments(items: list[_Item]) -> None:
    """'512,000 personnel (+1,110), 7,600 tanks (+12)': a tally's change since the last
    report counts the same thing as the figure it follows, in the same way."""
    for i, item in enumerate(items):
        prev = items[i - 1] if i else None
        if not item.increment or prev is None or prev.category is None or prev.rate:
            continue
        item.np = replace(prev.np, start=item.figure.end, end=item.figure.end)
        item.category, item.source, item.cue_word = prev.category, "increment", prev.cue_word
        item.left_direct = prev.left_direct
        item.left_cue_start = prev.left_cue_start
        item.subcount = False
        item.parent = None


def _fit(category: str, np: NounPhrase) -> str | None:
    if np.kind == "equipment":
        return "equipment"
    if category == "equipment":
        return "casualties" if np.kind == "person" else None
    return category


def _link_parents(items: list[_Item]) -> None:
    for i, item in enumerate(items):
        if i == 0:
            continue
        prev = items[i - 1]
        if item.subcount and prev.figure.low >= item.figure.low:
            item.parent = i - 1
        elif item.linked and prev.parent is not None:
            item.parent = prev.parent


def _chain_start_index(items: list[_Item], i: int) -> int:
    while i > 0 and items[i].linked:
        i -= 1
    return i


def _chain_start(items: list[_Item], i: int) -> int:
    while i > 0 and items[i].linked:
        i -= 1
    return items[i].left_start


def _chain_end(items: list[_Item], i: int) -> int:
    while i + 1 < len(items) and items[i + 1].linked:
        i += 1
    return items[i].zone_end


def _scare_quoted(s: str, figure: Figure) -> bool:
    """'two hundred' in quotes is a slang word (the dead), not a count."""
    before, after = s[figure.start - 1 : figure.start], s[figure.end : figure.end + 1]
    return bool(before) and before in "‘'\"“" and after in "’'\"”"


def _is_distractor(s: str, item: _Item, figures: list[Figure]) -> bool:
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


# --- sides -------------------------------------------------------------------------------------


def _side(
    ctx: _Context,
    s: str,
    item: _Item,
    items: list[_Item],
    claimant: claimants_mod.Claimant | None,
    previous: list[_Raw],
    sentence: Sentence,
) -> tuple[str | None, str | None, str]:
    dateline_prefix = _DATELINE_PREFIX.match(s)
    if dateline_prefix:
        s = " " * dateline_prefix.end() + s[dateline_prefix.end() :]  # offsets hold
    claimant_side = claimant.side if claimant else None
    if claimant_side is None and "enem" in s.lower():
        claimant_side = _speaker_side(s)
    np = item.np
    unit = np.unit
    for m in sides_mod.mentions(np.text):
        slug = sides_mod.resolve(m, claimant_side)
        if m.kind == "group" and m.unit and not unit:
            unit = m.unit
        if slug and m.kind != "place":
            item.side_basis = "phrase"
            return slug, unit, f"side: '{np.text}'"
    across = _across_sides(s, item, items)
    if across:
        item.side_basis = "multiple"
        return "multiple", unit, f"side: a total across sides ('{across}')"
    zone = s[np.end if np.end > item.figure.end else item.figure.end : item.zone_end]
    prep = re.match(
        r"\s*(?:,\s*)?(?:killed\s+|dead\s+|died\s+|were\s+|who\s+\w+\s+)?(?:from|among|of|on|for)"
        r"\s+(?:the\s+)?(?:\w+\s+)?(?P<w>[\w'’]+(?:\s[\w'’]+)?)",
        zone[:70],
    )
    if prep:
        for m in sides_mod.mentions(zone[prep.start() : prep.end()]):
            after = zone[prep.start() + m.end : prep.start() + m.end + 25]
            if m.kind == "place" or _AGENT_NOUN.match(after):
                continue  # "from Russian captivity", "in a Russian strike": the other side
            slug = sides_mod.resolve(m, claimant_side)
            if slug:
                if m.kind == "group" and m.unit and not unit:
                    unit = m.unit
                item.side_basis = "phrase"
                return slug, unit, f"side: '{m.word}' after the figure"
    if item.category == "captured" or (item.category == "killed" and "bod" in np.text.lower()):
        # "90 soldiers were returned to Ukraine", "45 bodies were handed over to Russia"
        back = _RETURNED_TO.search(s, item.figure.end, item.zone_end)
        if back:
            home = sides_mod.side_of_phrase(back.group("c"))
            if home:
                item.side_basis = "clause"
                return home, unit, f"side: returned to {back.group('c').strip()}"
    if item.left_cue_start >= 0 and _NOUN_CUE.fullmatch(item.cue_word):
        # "Russian losses", "Russia's irreplaceable losses": the party that owns the loss noun
        # says whose losses they are, whatever attack is named after it.
        head = s[max(0, item.left_cue_start - 40) : item.left_cue_start]
        for m in reversed(sides_mod.mentions(head)):
            if m.kind != "place" and _OWNER_GAP.fullmatch(head[m.end :]):
                slug = sides_mod.resolve(m, claimant_side)
                if slug:
                    item.side_basis = "clause"
                    return slug, unit, f"side: '{m.word}' before '{item.cue_word}'"
            break
    clause_text = s[_chain_start(items, items.index(item)) : item.figure.start]
    for m in reversed(sides_mod.mentions(clause_text)):
        attacker = _AGENT_NOUN.match(clause_text[m.end :])
        slug = sides_mod.resolve(m, claimant_side) if m.kind != "place" else None
        if attacker and slug and sides_mod.opponent(slug):
            # "the death toll from the Russian strike", "Israeli strikes killed": the victims
            # are the attacker's opponents, or the people of the country the strike hit.
            item.side_basis = "attacker"
            where = _place_country(s, item.figure.start)
            if where and where != slug:
                return where, unit, f"side: hit by the '{m.word}' attack in {where}"
            return sides_mod.opponent(slug), unit, f"side: hit by the '{m.word}' attack"
    if item.source in ("left", "chain") and item.left_cue_start >= 0:
        # Only words of this figure's own clause: not the previous figure's noun phrase.
        k = _chain_start_index(items, items.index(item))
        while k > 0 and items[k - 1].category is None:
            k -= 1  # figures that are not claims ("1 Ukraine says it downed") do not cut
        clause_start = min(items[k].left_start, item.left_cue_start)
        before_cue = s[clause_start : item.left_cue_start]
        found = [m for m in sides_mod.mentions(before_cue) if m.kind != "place"]
        own = _OWN_FORCES.search(before_cue)
        if (
            not found
            and own
            and claimant_side
            and _agent_cue(s, item)
            and sides_mod.opponent(claimant_side)
        ):
            # "its forces killed 187 soldiers", said by the RSF: the speaker's enemy died
            item.side_basis = "attacker"
            return (
                sides_mod.opponent(claimant_side),
                unit,
                f"side: opponent of the claimant, whose '{own.group(0).strip()}' {item.cue_word}",
            )
        if found:
            m = found[-1]
            slug = sides_mod.resolve(m, claimant_side)
            attacker = _AGENT_NOUN.match(before_cue[m.end :])
            if slug and attacker and not _agent_cue(s, item):
                # "the death toll from the Russian strike": the strike's victims, not Russians
                other = _place_country(s, item.figure.start) or sides_mod.opponent(slug)
                if other == slug:
                    other = sides_mod.opponent(slug)
                if other:
                    item.side_basis = "attacker"
                    return other, unit, f"side: hit by the '{m.word}' {attacker.group(0).strip()}"
            if slug and item.left_direct and _agent_cue(s, item):
                agent = slug
                slug = sides_mod.opponent(agent)
                if slug:
                    item.side_basis = "attacker"
                    return slug, unit, f"side: opponent of '{m.word}' who {item.cue_word}"
            elif slug:
                item.side_basis = "clause"
                return slug, unit, f"side: '{m.word}' before '{item.cue_word}'"
    if item.left_cue_start >= 0:
        # "the losses of the enemy ... amounted to": whose losses, named after the loss word
        of = _LOSSES_OF.match(s, item.left_cue_start, item.figure.start)
        if of:
            for m in sides_mod.mentions(of.group("who")):
                slug = sides_mod.resolve(m, claimant_side)
                if slug and m.kind != "place":
                    item.side_basis = "clause"
                    return slug, unit, f"side: '{m.word}' after '{item.cue_word}'"
    same_sentence = [r for r in previous if r.sentence.index == sentence.index]
    nounless = (
        not np.text
        or _PARTITIVE_NP.match(np.text)
        or (np.kind != "equipment" and not _has_person_noun(np.text))
    )
    if nounless and same_sentence and same_sentence[-1].claim.side:
        sibling = same_sentence[-1].claim
        item.side_basis = "sibling"
        return (
            sibling.side,
            unit or (sibling.unit if sibling.category != "equipment" else None),
            "side: same as the figure before",
        )
    if _POSSESSIVE_NP.match(np.text) and claimant_side and claimant_side in side_table().opponents:
        item.side_basis = "claimant"
        return claimant_side, unit, "side: the claimant's own ('its soldiers')"
    if item.source in ("noun phrase", "zone", "chain-back") or item.left_cue_start < 0:
        left = s[item.left_start : item.figure.start]
        found = [
            m
            for m in sides_mod.mentions(left)
            if m.kind != "place" and not _PREPOSITION_BEFORE.search(left[: m.start])
        ]
        claimant_end = _claimant_span_end(left)
        found = [m for m in found if m.start >= claimant_end]
        if found:
            m = found[-1]
            slug = sides_mod.resolve(m, claimant_side)
            holder = _HOLDING.search(left, m.end) if item.category == "captured" else None
            if slug and holder and sides_mod.opponent(slug):
                # "Hamas is still holding 101 hostages": the captives are the holder's enemy
                item.side_basis = "attacker"
                return (
                    sides_mod.opponent(slug),
                    unit,
                    f"side: held by '{m.word}' ('{holder.group(0).strip()}')",
                )
            if slug:
                item.side_basis = "clause"
                return slug, unit, f"side: '{m.word}' before the figure"
    np_low = np.text.lower()
    civil = unit == "civilians" or bool(
        np.special and re.search(r"\b(?:civilians?|children|women|journalists|residents)\b", np_low)
    )
    people = bool(re.search(r"\b(?:people|persons)\b", np_low)) and not re.search(
        r"\b(?:their|its|our|his|her)\b", np_low
    )
    state_troops = re.fullmatch(r"(?:regime\s+)?(?:soldiers|troops|servicemen|army)", np_low)
    # The article's country is a pass over its start: worked out only for government troops.
    civil_war = side_table().civil_wars.get(ctx.article_country or "") if state_troops else None
    if state_troops and civil_war:
        item.side_basis = "place"
        return civil_war, unit or np.text, "side: government troops in a civil war"
    if civil or people:
        country = _place_country(s, item.figure.start) or ctx.article_country
        if country:
            if people and not civil:
                subs = {
                    _quick_side(o.np.text)
                    for o in items
                    if o.parent is not None and items[o.parent] is item
                }
                subs.discard(None)
                if len(subs) > 1:
                    item.side_basis = "multiple"
                    return "multiple", unit, "side: sub-counts of several sides"
                if _STRIKE_WORDS.search(s):
                    item.side_basis = "place"
                    return country, "civilians", "side: people killed in strikes are civilians"
                if country in ("syria",) and not _place_country(s):
                    item.side_basis = "multiple"
                    return "multiple", unit, "side: people in a civil war"
            item.side_basis = "place"
            return country, unit, f"side: civilians of {country}"
    for raw in reversed(previous):
        if raw.claim.side and raw.sentence.index == sentence.index:
            item.side_basis = "sibling"
            return raw.claim.side, unit, "side: same as the figure before"
    if (
        state_troops
        and item.source == "zone"  # the loss word after them: "were killed", "died"
        and claimant is not None
        and claimant_side in side_table().opponents
    ):
        # "The army said 290 soldiers have been killed": soldiers named without a party, in
        # a passive or intransitive loss, are the speaker's own.
        item.side_basis = "claimant"
        return claimant_side, unit, "side: the claimant's own soldiers"
    if (
        claimant is not None
        and claimant_side in side_table().opponents
        and _OWN_SIDE_CLAIMANT.search(f"{claimant.name} {claimant.role}")
    ):
        item.side_basis = "claimant"
        return claimant_side, unit, "side: the toll of the claimant's own authorities"
    prior = ctx_sentences_before(ctx, sentence)
    prior_claims = [r for r in previous if prior is not None and r.sentence.index == prior.index]
    if prior_claims and prior_claims[-1].claim.side:
        item.side_basis = "sentence before"
        return prior_claims[-1].claim.side, unit, "side: same as the claim in the sentence before"
    if prior is not None:
        found = [m for m in sides_mod.mentions(prior.text) if m.kind in ("demonym", "group")]
        if found:
            slug = sides_mod.resolve(found[-1], claimant_side)
            if slug:
                item.side_basis = "sentence before"
                return slug, unit, f"side: '{found[-1].word}' in the sentence before"
    for raw in reversed(previous):
        if raw.claim.side and raw.sentence.index >= sentence.index - 3:
            item.side_basis = "sentence before"
            return raw.claim.side, unit, "side: same as the claim before"
    for m in sides_mod.mentions(s):
        if m.kind in ("demonym", "group") and not _PREPOSITION_BEFORE.search(s[: m.start]):
            slug = sides_mod.resolve(m, claimant_side)
            if slug and slug != claimant_side:
                item.side_basis = "sentence"
                return slug, unit, f"side: '{m.word}' in the sentence"
    if previous and previous[-1].claim.side:
        item.side_basis = "sentence before"
        return previous[-1].claim.side, unit, "side: same as the claim before"
    if ctx.article_side:
        item.side_basis = "article"
        return ctx.article_side, unit, "side: the party the article names most"
    item.side_basis = "unknown"
    return None, unit, "side: unknown"


def _speaker_side(s: str) -> str | None:
    """'Ukraine's General Staff put the enemy's losses at ...', 'Ukrainian troops destroyed
    50 enemy tanks': with no claimant to say whose enemy, the party named before 'enemy'."""
    found = sides_mod.mentions(s)
    enemy = next((m.start for m in found if m.kind == "enemy"), None)
    if enemy is None:
        return None
    before = [m for m in found if m.start < enemy and m.kind in ("demonym", "group") and m.slug]
    return before[0].slug if before else None


def _across_sides(s: str, item: _Item, items: list[_Item]) -> str | None:
    """The words saying a figure counts the losses of several sides together: 'on both
    sides', 'Russian and Ukrainian casualties', 'fighting between the army and the RSF has
    killed 15,000 people'. Asked for every claim: cheap tests first."""
    chain_start = _chain_start(items, items.index(item))
    clause = s[chain_start : item.zone_end]
    folded = fold(clause)
    if _ALL_SIDES_HINT.search(folded):
        m = side_table().all_sides_re.search(folded)
        if m:
            return clause[m.start() : m.end()]
    if " and " not in folded and " or " not in folded:
        return None
    # Two parties joined right before the figure or in its noun phrase.
    near_end = max(item.np.end, item.figure.end, item.zone_end)
    near = s[max(chain_start, near_end - 160) : near_end]
    found = [x for x in sides_mod.mentions(near) if x.kind in ("demonym", "group") and x.slug]
    for a, b in zip(found, found[1:], strict=False):
        if a.slug != b.slug and re.fullmatch(r"\s*(?:and|or|,)\s*", near[a.end : b.start]):
            return near[a.start : b.end]
    if "between" not in folded:
        return None
    people = (
        item.np.kind == "person" and not item.np.special and not sides_mod.mentions(item.np.text)
    )
    between = _BETWEEN_SIDES.search(clause)
    if people and between and between.end() <= item.figure.start - chain_start:
        return between.group(0).strip()
    return None


def _has_person_noun(text: str) -> bool:
    words = set(re.findall(r"[\w'-]+", text.lower()))
    return bool(words & cues().person_nouns) or bool(sides_mod.mentions(text))


def ctx_sentences_before(ctx: _Context, sentence: Sentence) -> Sentence | None:
    i = sentence.index - 1
    if i < 0 or i >= len(ctx.sentences):
        return None
    prior = ctx.sentences[i]
    return prior if prior.paragraph >= sentence.paragraph - 1 else None


def _claimant_span_end(left: str) -> int:
    """Where 'Ukraine's Khortytsia group of forces said' ends: its demonym names the speaker,
    not the losses."""
    ends = [
        m.end()
        for m in re.finditer(
            r"\b(?:said|says|told|stated|claimed|reported|announced|estimates|"
            r"according to [^,]+,)\s*(?:that\s+)?",
            left,
        )
    ]
    return ends[-1] if ends else 0


def _quick_side(text: str) -> str | None:
    for m in sides_mod.mentions(text):
        if m.slug:
            return m.slug
    low = text.lower()
    if "civilian" in low or "soldier" in low:
        return "state"
    return None


def _agent_cue(s: str, item: _Item) -> bool:
    word = item.cue_word.lower()
    return bool(cues().agent_verb_re.fullmatch(word)) or word in ("executes", "executed")


def _place_country(s: str, near: int | None = None) -> str | None:
    """The country of the place named closest before `near` (else anywhere in `s`):
    'in the Gaza Strip ... in the south of Israel, where 1,189 people died' is Israel."""
    places = [m for m in sides_mod.mentions(s) if m.kind == "place"]
    places += [
        sides_mod.SideMention(
            m.start(),
            m.end(),
            side_table().demonyms.get(_country_key(m)),
            None,
            m.group(0),
            "place",
        )
        for m in side_table().country_re.finditer(s)
    ]
    places = [p for p in places if p.slug]
    if not places:
        return None
    if near is not None:
        before = [p for p in places if p.end <= near]
        if before:
            return max(before, key=lambda p: p.end).slug
    return min(places, key=lambda p: p.start).slug


def _country_key(m: re.Match[str]) -> str:
    word = m.group(0).split()[-1].lower()
    return {"gaza": "gaza", "bank": "west bank"}.get(word, word)


def _article_parties(text: str) -> tuple[str | None, str | None]:
    """The party the article names most, and the country it is set in (places count double)."""
    sides: dict[str, int] = {}
    countries: dict[str, int] = {}
    for m in sides_mod.mentions(text[:3000]):
        if not m.slug:
            continue
        if m.kind in ("demonym", "group"):
            sides[m.slug] = sides.get(m.slug, 0) + 1
        weight = 2 if m.kind == "place" else 1 if m.kind == "demonym" else 0
        if weight:
            countries[m.slug] = countries.get(m.slug, 0) + weight
    best_side = max(sides, key=sides.__getitem__) if sides else None
    best_country = max(countries, key=countries.__getitem__) if countries else None
    return best_side, best_country


# --- dates -------------------------------------------------------------------------------------


def _sentence_date(
    ctx: _Context, s: str
) -> tuple[date | None, str, date | None, date | None, bool]:
    claim_date = None
    note = ""
    period_start = period_end = None
    for mention in find_dates(s):
        before = s[max(0, mention.start - 30) : mention.start]
        # The floor costs a pass over the whole text: worked out only for a mention that uses it.
        floor = ctx.floor if needs_floor(mention) else None
        value = resolve(mention, published=ctx.published, floor=floor)
        if value is None:
            continue
        if _SINCE.search(before):
            period_start = value
            continue
        if _AS_OF.search(before):
            # "as of Tuesday" fixes the day of the count, over an event date said before it
            # ("since the war broke out on October 7, ... as of Tuesday").
            claim_date = value
            period_end = value
            note = f"date: 'as of {s[mention.start : mention.end]}'"
            continue
        if (
            mention.relative
            or _DATE_LEAD.search(before)
            or (mention.weekday is not None and re.search(r"\b(?:said|reported|told)\s+$", before))
        ) and claim_date is None:
            claim_date = value
            note = f"date: '{explanation.with_word_before(s, mention.start, mention.end)}'"
    m = _LAST_N.search(s)
    if m:
        n = m["n"].lower()
        count = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 0)
        anchor = claim_date or ctx.published
        unit = m["unit"].lower()
        if anchor and count and unit != "hours":
            days = {"days": 1, "weeks": 7, "months": 30, "years": 365}[unit] * count
            period_start = period_start or anchor - timedelta(days=days)
            period_end = period_end or anchor
    blocked = claim_date is None and has_month_only(s)
    return claim_date, note, period_start, period_end, blocked


# --- battles -----------------------------------------------------------------------------------


def _battle(
    ctx: _Context,
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
    hits = _battles_in(ctx, clause, bindex)
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
        not _battles_in(ctx, s, bindex) and _foreign_place(s, bindex)
    ):
        return None, "battle: none (another place)", True
    hits = _battles_in(ctx, s, bindex)
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
    hits = [h for o in para for h in _battles_in(ctx, o.text, bindex)]
    if hits:
        battle = battles_mod.choose(hits, _when(ctx, claim_date))
        if battle:
            return battle, "battle: named in the paragraph", False
    if ctx.lead_battle is not None:
        return ctx.lead_battle, "battle: the article's lead", False
    return None, "", False


def _when(ctx: _Context, claim_date: date | None) -> date | None:
    """The day that tells battles apart. Asked only when a battle is named, because the
    floor of an undated article costs a pass over the whole text."""
    return claim_date or ctx.published or ctx.floor


def _battles_in(
    ctx: _Context, text: str, bindex: battles_mod.BattleIndex
) -> list[battles_mod.BattleHit]:
    """Battle names in a piece of this article; paragraphs are read again for every figure."""
    hits = ctx.battle_cache.get(text)
    if hits is None:
        hits = ctx.battle_cache[text] = battles_mod.find_battles(text, bindex)
    return hits


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
    ctx: _Context, name: str, before: int, bindex: battles_mod.BattleIndex
) -> BattleRef | None:
    """The battle the claimant last spoke about before this sentence, unless they have moved
    on to the whole war or another time since."""
    earlier = [i for i in ctx.speaker_sentences.get(name, ()) if i < before][-8:]
    for index in reversed(earlier):
        sentence = ctx.sentences[index]
        hits = _battles_in(ctx, sentence.text, bindex)
        if hits:
            battle = battles_mod.choose(hits, ctx.published or ctx.floor)
            if battle:
                return battle
        if cues().war_wide_re.search(fold(sentence.text)) or has_month_only(sentence.text):
            return None
    return None


def _lead_hits(
    sentences: list[Sentence], bindex: battles_mod.BattleIndex
) -> list[battles_mod.BattleHit]:
    """Battles named in the article's first four sentences of five words or more."""
    lead: list[Sentence] = []
    for s in sentences:
        if len(s.text.split()) >= 5:
            lead.append(s)
        if len(lead) >= 4:
            break
    return [h for s in lead for h in battles_mod.find_battles(s.text, bindex)]


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


# --- basis and confidence ----------------------------------------------------------------------


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


# --- merging repeats ---------------------------------------------------------------------------


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


def _rounded_headline(group: list[int], raws: list[_Raw], body: dict[str, list[int]]) -> bool:
    """'Gaza toll passes 30,000' over a body that says 30,035: the headline rounds a figure
    the body states exactly, so it is not a claim of its own."""
    if not all(raws[i].heading for i in group):
        return False
    claim = raws[group[0]].claim
    value = claim.figure_low or claim.figure_high or 0
    values = body.get(claim.category, [])
    k = bisect.bisect_left(values, value * 0.85)
    return bool(value) and k < len(values) and values[k] <= value / 0.85


def _merge(raws: list[_Raw]) -> list[ExtractedClaim]:
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
            claim.period_start = claim.period_start or m.claim.period_start
            claim.period_end = claim.period_end or m.claim.period_end
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
        if raw.one_day and claim.claim_date is None:
            claim.claim_date = raw.one_day[0]
            claim.notes.append(f"date: '{raw.one_day[1]}' up to the published day")
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
