"""Whose losses, the mention table: demonyms, armed groups, 'the enemy' seen from the claimant,
places, and the parties an article names most. side_rules.py decides a claim's side with it."""

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.extraction.data import fold, side_table


@dataclass(frozen=True)
class SideMention:
    start: int
    end: int
    slug: str | None  # None for an enemy word whose side depends on the claimant
    unit: str | None
    word: str
    kind: str  # demonym | group | enemy | place


def mentions(text: str) -> tuple[SideMention, ...]:
    """Demonyms, groups, enemy words and places in `text`. Short phrases (noun phrases,
    claimant names) recur across articles and are cached; long text is not."""
    if len(text) <= 160:
        return _mentions_cached(text)
    return _mentions(text)


@lru_cache(maxsize=8192)
def _mentions_cached(text: str) -> tuple[SideMention, ...]:
    return _mentions(text)


def _mentions(text: str) -> tuple[SideMention, ...]:
    table = side_table()
    found = []
    for m in table.mention_re.finditer(fold(text)):
        word = text[m.start() : m.end()].lower()
        if not word.isalpha():  # "north  korean", "russia’s": one space, straight apostrophe
            word = " ".join(word.split()).replace("’", "'")
        if word in table.groups:
            slug, unit = table.groups[word]
            found.append(SideMention(m.start(), m.end(), slug, unit, word, "group"))
        elif word in table.demonyms:
            found.append(
                SideMention(m.start(), m.end(), table.demonyms[word], None, word, "demonym")
            )
        elif word in table.enemy_words:
            found.append(SideMention(m.start(), m.end(), None, None, word, "enemy"))
        elif word in table.places:
            found.append(SideMention(m.start(), m.end(), table.places[word], None, word, "place"))
    return tuple(found)


_REBEL_WORDS = frozenset({"rebels", "rebel"})


def resolve(mention: SideMention, claimant_side: str | None) -> str | None:
    """The party a mention names; 'the enemy' is the claimant's opponent."""
    table = side_table()
    if mention.kind == "group" and mention.word in _REBEL_WORDS:
        # "rebels" in a state's mouth are its opponent in that civil war (RSF to Sudan's army)
        if claimant_side in table.civil_wars.values():
            return table.opponents.get(claimant_side or "", mention.slug)
        return mention.slug
    if mention.kind != "enemy":
        return mention.slug
    if claimant_side and claimant_side in table.opponents:
        return table.opponents[claimant_side]
    return table.enemy_fallback.get(mention.word)


def opponent(slug: str | None) -> str | None:
    return side_table().opponents.get(slug or "")


def side_of_phrase(text: str) -> str | None:
    """The party a claimant phrase belongs to ('Russia's defence ministry' -> russia)."""
    for m in mentions(text):
        if m.kind in ("demonym", "group"):
            return m.slug
    return None


_DATELINE_CITY = re.compile(r"(?m)^(?P<city>[A-Z][A-Z'’. -]{2,30}?)(?:/[A-Z .]+)?(?:,|\s+[(–—-])")


def article_parties(text: str) -> tuple[str | None, str | None]:
    """The party the article names most, and the country it is set in (places count double)."""
    sides: dict[str, int] = {}
    countries: dict[str, int] = {}
    dateline = _DATELINE_CITY.search(text[:600])
    if dateline:
        # "BEIRUT, Sept 24 -": where the story was filed weighs like several mentions
        for m in mentions(dateline.group("city")):
            if m.kind == "place" and m.slug:
                countries[m.slug] = countries.get(m.slug, 0) + 4
    for m in mentions(text[:3000]):
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
