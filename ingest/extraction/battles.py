"""Which battle a figure belongs to: aliases and places from the reference data, told apart
by date (Kharkiv in 2022 and in 2024 are different battles)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.extraction.data import trie_pattern
from ingest.extraction.reference import ReferenceCache
from ingest.extraction.sentences import Sentence
from ingest.extraction.types import BattleRef, ReferenceData

_REGION_WORDS = (
    "Oblast",
    "oblast",
    "Region",
    "region",
    "area",
    "direction",
    "Province",
    "province",
    "front",
    "sector",
    "axis",
)
# Claims about a battle are often made months after it ends (death counts, retrospectives).
_AFTER_END = timedelta(days=400)
_BEFORE_START = timedelta(days=7)


@dataclass(frozen=True)
class BattleHit:
    battle: BattleRef
    strong: bool  # an alias or the battle's own name, not just a region it lies in
    start: int


@dataclass(frozen=True)
class BattleIndex:
    pattern: re.Pattern[str] | None
    by_phrase: dict[str, tuple[tuple[BattleRef, bool], ...]]


def _build_battle_index(reference: ReferenceData) -> BattleIndex:
    table: dict[str, list[tuple[BattleRef, bool]]] = {}

    def add(phrase: str, battle: BattleRef, strong: bool) -> None:
        key = _key(phrase)
        if not key:
            return
        entries = table.setdefault(key, [])
        if all(b is not battle for b, _ in entries):
            entries.append((battle, strong))

    for battle in reference.battles:
        add(battle.name, battle, True)
        for alias in battle.aliases:
            add(alias, battle, True)
        for place in battle.places:
            add(place, battle, False)
            base = re.sub(r"\s+(?:Oblast|Region|Province|Governorate)$", "", place)
            if base != place:
                add(base, battle, False)
                for word in _REGION_WORDS:
                    add(f"{base} {word}", battle, False)
    if not table:
        return BattleIndex(None, {})
    body = trie_pattern(set(table), space=r"[\s-]+")
    pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)
    return BattleIndex(pattern, {k: tuple(v) for k, v in table.items()})


def _key(phrase: str) -> str:
    return re.sub(r"[\s-]+", " ", phrase.lower().replace("’", "'")).strip()


def find_battles(text: str, index: BattleIndex) -> list[BattleHit]:
    if index.pattern is None:
        return []
    hits = []
    for m in index.pattern.finditer(text):
        for battle, strong in index.by_phrase.get(_key(m.group(0)), ()):
            hits.append(BattleHit(battle, strong, m.start()))
    return hits


def choose(hits: list[BattleHit], when: date | None) -> BattleRef | None:
    """One battle, or None when the evidence is ambiguous."""
    if not hits:
        return None
    battles: dict[str, tuple[BattleRef, bool]] = {}
    for hit in hits:
        known = battles.get(hit.battle.name)
        battles[hit.battle.name] = (hit.battle, hit.strong or (known[1] if known else False))
    candidates = list(battles.values())
    if when is not None:
        # A battle's own name may come up long after it ended; a place only while it goes on
        # ("the shelling of Kherson" in 2024 is not the 2022 counteroffensive).
        candidates = [
            (b, s) for b, s in candidates if (_possible(b, when) if s else _active(b, when))
        ]
        active = [(b, s) for b, s in candidates if _active(b, when)]
        if len(candidates) > 1 and active:
            candidates = active
    if when is None and (len(candidates) > 1 or not candidates[0][1]):
        # One place, several battles, or a region some battle was fought in: without a date
        # nothing says the figure is that battle's and not from before or after it.
        return None
    if len(candidates) > 1:
        strong: list[tuple[BattleRef, bool]] = [(b, s) for b, s in candidates if s]
        if strong:
            candidates = strong
    if len(candidates) == 1:
        return candidates[0][0]
    return None


def _possible(battle: BattleRef, when: date) -> bool:
    if battle.start and when < battle.start - _BEFORE_START:
        return False
    return not (battle.end and when > battle.end + _AFTER_END)


def is_active(battle: BattleRef, when: date) -> bool:
    """Whether the battle was going on (give or take two weeks) on that day."""
    return _active(battle, when)


def _active(battle: BattleRef, when: date) -> bool:
    if battle.start and when < battle.start - _BEFORE_START:
        return False
    return not (battle.end and when > battle.end + timedelta(days=14))


_BATTLE_INDEX_CACHE = ReferenceCache(_build_battle_index)


def battle_index(reference: ReferenceData) -> BattleIndex:
    """Built once per reference data (see ReferenceCache)."""
    return _BATTLE_INDEX_CACHE.get(reference)


def lead_hits(sentences: list[Sentence], bindex: BattleIndex) -> list[BattleHit]:
    """Battles named in the article's first four sentences of five words or more."""
    lead: list[Sentence] = []
    for s in sentences:
        if len(s.text.split()) >= 5:
            lead.append(s)
        if len(lead) >= 4:
            break
    return [h for s in lead for h in find_battles(s.text, bindex)]
