"""The extractor's inputs and outputs. Plain data, no Django: the Celery task and the
management commands convert between these and the models."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class BattleRef:
    """A battle the extractor can recognise, as stored in the database."""

    name: str
    conflict: str
    aliases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class SourceRef:
    """A known claimant or outlet, matched by name or alias."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "other"
    affiliation: str = ""
    role: str = ""


@dataclass(frozen=True)
class ConflictRef:
    """A war, as stored in the database: "since the full-scale invasion" counts from its
    start. `sides` are the party slugs it is fought between."""

    name: str
    start: date | None = None
    sides: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceData:
    battles: tuple[BattleRef, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    conflicts: tuple[ConflictRef, ...] = ()


@dataclass(frozen=True)
class ArticleMetadata:
    """What the text itself says about the article. Metadata given at upload wins over it."""

    title: str = ""
    published: date | None = None
    outlet: str = ""
    author: str = ""


@dataclass
class Evidence:
    """How the stages decided a draft, as codes rather than the editor's wording (`notes`):
    what the confidence model (confidence.py) reads. Set where each stage decides."""

    # phrase ('300 Russian troops') | clause | attacker (the victims of a named attacker) |
    # sibling (the figure before) | claimant | place | multiple | sentence before | sentence
    # | article (the party it names most) | unknown
    side_basis: str = ""
    claimant_basis: str = ""  # named | quote | inherited | none
    heading: bool = False  # the sentence is a headline, caption or other unpunctuated line
    # where the loss word was found: noun phrase | zone (after the figure) | left (before it) |
    # chain (shared by a list) | sub-count | continues | increment | respectively | ...
    category_basis: str = ""
    figures_in_sentence: int = 0  # every figure of the sentence, claims or not
    list_line: bool = False  # a line of a list read with the line that introduces it
    repeats: int = 1  # how many sentences of the article state the claim (set by the merge)


@dataclass
class ExtractedClaim:
    """One draft claim. `start`/`end` are character offsets of the figure in the text given
    to the extractor; `parent` is the index of the claim this one is part of."""

    figure_low: int | None
    figure_high: int | None
    qualifier: str  # exact | approx | at_least | at_most | range
    category: str  # killed | wounded | casualties | captured | missing | equipment
    side: str
    excerpt: str
    start: int
    end: int
    unit: str | None = None
    claimant: str | None = None  # canonical Source name when matched, else the name as written
    battle: str | None = None  # canonical Battle name
    claim_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    # daily | cumulative (since the war's or the battle's start) | period | None (not stated)
    period_kind: str | None = None
    confidence: float = 0.5
    basis: str = "unknown"  # official | intelligence | confirmed | statistical | visual | unknown
    parent: int | None = None
    notes: list[str] = field(default_factory=list)  # which cues fired, for the editor
    evidence: Evidence = field(default_factory=Evidence)


@dataclass
class Extraction:
    metadata: ArticleMetadata
    claims: list[ExtractedClaim]
