"""Word lists and the side table, loaded once from data/*.json.

Keeping them as data lets editors teach the extractor a new war (demonyms, armed groups,
places) without touching the rules."""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")
# A node of the prefix tree: the next character -> its node; "" marks the end of a phrase.
Trie = dict[str, "Trie"]


def trie_pattern(phrases: list[str] | set[str], space: str = r"\s+") -> str:
    """An alternation with shared prefixes factored out ('kill(?:ed|ing)'): the regex engine
    runs it far faster than a flat list of a few hundred words. Longer continuations are tried
    first at every branch, so 'more than' wins over 'more'."""
    trie: Trie = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie, space)


def _emit(node: Trie, space: str) -> str:
    keys = sorted((k for k in node if k), key=lambda k: -_depth(node[k]))
    branches = [(space if k == " " else _char(k)) + _emit(node[k], space) for k in keys]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return "(?:" + body + ")?"
    return body


def _depth(node: Trie) -> int:
    return 1 + max((_depth(child) for key, child in node.items() if key), default=0)


def _char(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char == "'":
        return "['’]"
    return re.escape(char)


def phrase_regex(
    phrases: list[str] | set[str], *, boundary: bool = True, folded: bool = False
) -> re.Pattern[str]:
    """One case-insensitive pattern for a word list; the longest phrase wins at any place.
    With `folded`, the pattern is case-sensitive and meant for `fold(text)`: same matches,
    about twice as fast (the regex engine compares case-insensitively char by char)."""
    body = trie_pattern({p.lower() for p in phrases})
    flags = 0 if folded else re.IGNORECASE
    if boundary:
        return re.compile(rf"(?<![\w$€£])(?:{body})(?![\w])", flags)
    return re.compile(rf"(?:{body})", flags)


# The letters that IGNORECASE matches to an ASCII letter although str.lower() does not give
# that letter: dotted capital I (which lower() also turns into two characters), dotless i and
# long s. Every other character lowers to one character matching just as IGNORECASE does.
_ODD_CASES = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
_ODD_CASE_RE = re.compile("[İıſ]")


def fold(text: str) -> str:
    """`text` in lower case for a case-sensitive pattern of lower-case words standing in for
    an IGNORECASE one: same length, so offsets hold, and a match exactly where the
    IGNORECASE pattern would match `text`. Take matched words from `text`, not from here."""
    if not text.isascii() and _ODD_CASE_RE.search(text):
        text = text.translate(_ODD_CASES)
    return text.lower()


def _noun_regex(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + trie_pattern(set(phrases)) + r")(?![\w-])")


@dataclass(frozen=True)
class Cues:
    """The word lists and their patterns. The qualifier, loss word (any_category_re,
    equipment_loss_re), blocker verb, rate, one-day, war-wide and basis patterns are
    case-sensitive and searched in fold(text); take the words they match from the text."""

    raw: dict[str, Any]  # cues.json as read
    qualifier_re: dict[str, re.Pattern[str]]
    person_nouns: frozenset[str]
    generic_person_nouns: frozenset[str]
    equipment_nouns: frozenset[str]
    equipment_re: re.Pattern[str]
    person_re: re.Pattern[str]
    equipment_generic_units: frozenset[str]
    category_re: dict[str, re.Pattern[str]]
    any_category_re: re.Pattern[str]
    category_of: dict[str, str]
    equipment_loss_re: re.Pattern[str]
    agent_verb_re: re.Pattern[str]
    blocker_nouns: frozenset[str]
    blocker_noun_re: re.Pattern[str]
    blocker_verb_re: re.Pattern[str]
    unit_strip: frozenset[str]
    distractor_left: tuple[str, ...]
    projection_re: re.Pattern[str]  # "could reach", "is expected to rise to": not a count yet
    rate_re: re.Pattern[str]
    one_day_re: re.Pattern[str]
    war_wide_re: re.Pattern[str]
    continuation_re: re.Pattern[str]
    attribution_verbs: frozenset[str]
    relay_outlets: frozenset[str]
    # A claimant is a speaker: phrases opening with these ('number of ...', 'last time ...')
    # or ending with these ('Russian troops') are fragments of the sentence, not speakers.
    non_speaker_heads: frozenset[str]
    non_speaker_nouns: frozenset[str]
    speaker_trailing_words: tuple[str, ...]  # 'the ministry today': dropped from a name
    titles: frozenset[str]
    org_words: frozenset[str]
    pronouns: frozenset[str]
    person_anaphora: frozenset[str]
    org_anaphora: frozenset[str]
    confirmed_re: re.Pattern[str]
    intelligence_re: re.Pattern[str]
    visual_re: re.Pattern[str]
    statistical_re: re.Pattern[str]
    official_words: frozenset[str]


@dataclass(frozen=True)
class SideTable:
    demonyms: dict[str, str]
    groups: dict[str, tuple[str, str | None]]
    opponents: dict[str, str]
    enemy_words: frozenset[str]
    enemy_fallback: dict[str, str]
    places: dict[str, str]
    mention_re: re.Pattern[str]  # any demonym, group, enemy word or place, in fold(text)
    civil_wars: dict[str, str]
    country_names: dict[str, str]
    country_re: re.Pattern[str]  # "in Israel", "across Syria": a whole country, not a battle
    country_area_re: re.Pattern[str]  # ... or a part of it: "on southern Lebanon"
    all_sides_re: re.Pattern[str]  # "on both sides", "combined": a total over the parties


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return data


@cache
def cues() -> Cues:
    raw = _load("cues.json")
    lower = {k: v for k, v in raw.items() if isinstance(v, list)}
    return Cues(
        raw=raw,
        qualifier_re={
            k: re.compile(
                r"(?:^|[\s(“\"'‘])(?:"
                + "|".join(
                    re.escape(p.lower()).replace(r"\ ", r"\s+")
                    for p in sorted(v, key=len, reverse=True)
                )
                + r")\s*$"
            )
            for k, v in raw["qualifiers"].items()
        },
        person_nouns=frozenset(lower["person_nouns"]),
        generic_person_nouns=frozenset(lower["generic_person_nouns"]),
        equipment_nouns=frozenset(lower["equipment_nouns"]),
        equipment_re=_noun_regex(lower["equipment_nouns"]),
        person_re=_noun_regex(lower["person_nouns"]),
        equipment_generic_units=frozenset(lower["equipment_generic_units"]),
        category_re={k: phrase_regex(v) for k, v in raw["category_words"].items()},
        any_category_re=phrase_regex(
            [p for v in raw["category_words"].values() for p in v], folded=True
        ),
        category_of={
            p.lower(): k for k, v in reversed(list(raw["category_words"].items())) for p in v
        },
        equipment_loss_re=phrase_regex(lower["equipment_loss_words"], folded=True),
        agent_verb_re=phrase_regex(lower["agent_verbs"]),
        blocker_nouns=frozenset(lower["blocker_nouns"]),
        blocker_noun_re=phrase_regex(lower["blocker_nouns"]),
        blocker_verb_re=phrase_regex(lower["blocker_verbs"], folded=True),
        unit_strip=frozenset(lower["unit_strip"]),
        distractor_left=tuple(lower["distractor_left"]),
        projection_re=re.compile(
            phrase_regex(lower["projection_words"], folded=True).pattern + r"\s+(?:\w+\s+){0,2}$"
        ),
        rate_re=phrase_regex(lower["rate_words"], folded=True),
        one_day_re=phrase_regex(lower["one_day_words"], folded=True),
        war_wide_re=phrase_regex(lower["war_wide"], folded=True),
        continuation_re=phrase_regex(lower["continuation"]),
        attribution_verbs=frozenset(lower["attribution_verbs"]),
        relay_outlets=frozenset(lower["relay_outlets"]),
        non_speaker_heads=frozenset(lower["non_speaker_heads"]),
        non_speaker_nouns=frozenset(lower["non_speaker_nouns"]),
        speaker_trailing_words=tuple(lower["speaker_trailing_words"]),
        titles=frozenset(lower["titles"]),
        org_words=frozenset(lower["org_words"]),
        pronouns=frozenset(lower["pronouns"]),
        person_anaphora=frozenset(lower["person_anaphora"]),
        org_anaphora=frozenset(lower["org_anaphora"]),
        confirmed_re=phrase_regex(lower["confirmed_basis"], folded=True),
        intelligence_re=phrase_regex(lower["intelligence_basis"], folded=True),
        visual_re=phrase_regex(lower["visual_basis"], folded=True),
        statistical_re=phrase_regex(lower["statistical_basis"], boundary=False, folded=True),
        official_words=frozenset(lower["official_claimant_words"]),
    )


@cache
def side_table() -> SideTable:
    raw = _load("sides.json")
    groups = {k: (v[0], v[1]) for k, v in raw["groups"].items()}
    words = set(raw["demonyms"]) | set(groups) | set(raw["enemy_words"]) | set(raw["places"])
    return SideTable(
        demonyms=raw["demonyms"],
        groups=groups,
        opponents=raw["opponents"],
        enemy_words=frozenset(raw["enemy_words"]),
        enemy_fallback=raw["enemy_fallback"],
        places=raw["places"],
        mention_re=phrase_regex(words, folded=True),
        civil_wars=raw["civil_wars"],
        country_names=raw["country_names"],
        all_sides_re=phrase_regex(raw["all_sides"], folded=True),
        country_re=re.compile(
            r"\b(?:in|across|throughout|all over)\s+(?:the\s+\w+\s+of\s+)?(?:"
            + "|".join(re.escape(c) for c in raw["countries"])
            + r")\b"
        ),
        # Also a part of a country ("on southern and eastern Lebanon"): where people died.
        country_area_re=re.compile(
            r"\b(?:in|across|throughout|all over|on|into)\s+(?:the\s+\w+\s+of\s+|"
            r"(?:north|south|east|west)(?:ern|-eastern|-western)?\s+(?:and\s+\w+\s+)?)?(?:"
            + "|".join(re.escape(c) for c in raw["countries"])
            + r")\b"
        ),
    )
