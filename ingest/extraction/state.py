"""What the stages share: the per-article state (`Context`: the text, the reference data, the
claimants met so far, whole-text facts worked out on first use) and the working types, one figure
of a sentence (`Item`), a speaker among several (`Speaker`) and a draft before the merge (`Raw`)."""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ingest.extraction import battles as battles_mod
from ingest.extraction import claimants as claimants_mod
from ingest.extraction import explanation
from ingest.extraction.battles import lead_hits
from ingest.extraction.categories import NounPhrase
from ingest.extraction.data import fold
from ingest.extraction.dates import (
    dateline,
    latest_full_date,
    resolve,
)
from ingest.extraction.numbers import Figure
from ingest.extraction.sentences import Sentence
from ingest.extraction.sides import article_parties
from ingest.extraction.types import (
    BattleRef,
    ExtractedClaim,
    ReferenceData,
)

_EXCHANGE_STORY = re.compile(  # searched in the folded text
    r"\b(?:prisoner exchange|exchange of prisoners|exchanges?|prisoner swap|swap|captivity|"
    r"prisoners of war|pows?)\b"
)

# The time stamp opening a live blog entry: "09:40 GMT – Toll rises to 45".
_LIVE_ENTRY = re.compile(
    r"(?m)^\s*\d{1,2}[:.]\d{2}\s*(?:GMT|UTC|CET|EET|local time|[ap]\.?m\.?)?\s*[-–—|:]"
)


CARRIED_NOTE = "claimant: the speaker of a sentence before"


@dataclass
class Item:
    """One figure of a sentence while the stages decide what it counts and whose it is."""

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
    side_basis: str = ""  # how claim_side decided, as a code (Evidence.side_basis)
    increment: bool = False  # '7,600 tanks (+12)': the day's change of the figure before
    continues: bool = False  # 'put the total at 315,000': the count of the claim just before
    words_end: int = 0  # end of the words after the figure, also when a label replaced them
    shares_head: bool = False  # '86 Israeli and 24 foreign hostages': the next figure's noun


@dataclass(frozen=True)
class Speaker:
    """One of several speakers in a sentence. A closing one ('..., the army said.') speaks
    for the figures before it, an opening one ('the RSF said it killed 300') for those after."""

    position: int
    claimant: claimants_mod.Claimant
    note: str
    closing: bool


@dataclass
class Raw:
    """A draft claim with what the merge needs to know about where it was said."""

    claim: ExtractedClaim
    sentence: Sentence
    heading: bool
    date_blocked: bool
    battle_blocked: bool
    claimant_person: bool
    parent_raw: int | None = None
    merged_into: int | None = None
    excerpts: list[str] = field(default_factory=list)
    # A day to fall back on when nothing else dates the claim (the merge decides, after
    # sharing dates by claimant): "over the past 24 hours" (the claimant's statement day, else
    # the published day), an entry of a live blog (its day). (day, the note that says why)
    fallback_day: tuple[date, str] | None = None


class Context:
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
        hits = lead_hits(self.sentences, self.bindex)
        # The floor of an undated article is a pass over the text: only for a lead with a battle.
        return battles_mod.choose(hits, self.published or self.floor) if hits else None

    @cached_property
    def lead_named(self) -> str:
        """The words that name the lead's battle by its name or an alias, if they do."""
        lead = self.lead_battle
        if lead is None:
            return ""
        for s in self.sentences[:8]:
            for hit in battles_in(self, s.text, self.bindex):
                if hit.strong and hit.battle is lead:
                    return explanation.name_at(s.text, hit.start)
        return ""

    @cached_property
    def _parties(self) -> tuple[str | None, str | None]:
        return article_parties(self.text)

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

    @cached_property
    def live_blog(self) -> bool:
        """Time-stamped entries ("09:40 GMT – Toll rises to 45"): each is of the blog's day."""
        return len(_LIVE_ENTRY.findall(self.text)) >= 2


def battles_in(
    ctx: Context, text: str, bindex: battles_mod.BattleIndex
) -> list[battles_mod.BattleHit]:
    """Battle names in a piece of this article; paragraphs are read again for every figure."""
    hits = ctx.battle_cache.get(text)
    if hits is None:
        hits = ctx.battle_cache[text] = battles_mod.find_battles(text, bindex)
    return hits
