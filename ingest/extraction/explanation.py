"""The editor's "Why" line: one short clause per field, quoting in full the words that
decided it ("killed: 'have died'", "claimant: 'said Colonel Ivan Petrenko'"), never a piece of
a word."""

import re

from ingest.extraction.categories import all_cues
from ingest.extraction.claimants import Attribution

_CATEGORY_REASONS = {
    "respectively": "the figure in the same place of the list before",
    "continues": "the count the sentence before was about",
    "chain": "shared by the list",
    "chain-back": "shared by the list",
    "increment": "the change of the figure before",
    "sub-count": "part of the claim before",
}
_NAME_RUN = re.compile(r"[\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]*|of|the))*")


def category_note(category: str, source: str, cue_word: str) -> str:
    """'killed: 'were killed'', 'equipment: 'lost' (shared by the list)'."""
    if source == "sub-count" or cue_word.startswith("sub-count"):
        return f"{category}: part of the figure before"
    words = f"{category}: '{cue_word}'"
    reason = _CATEGORY_REASONS.get(source)
    return f"{words} ({reason})" if reason else words


def cue_words(zone: str) -> str:
    """The words after a figure up to the end of its loss word ('were killed', 'have died'),
    whole words only."""
    found = all_cues(zone[:110])
    if not found:
        return " ".join(zone.split()[:3]).strip(" ,.;:")
    start = zone.rfind(" ", 0, max(0, found[0].start - 12)) + 1
    if zone[start : found[0].start].strip(" ,").count(" ") > 2:
        start = found[0].start
    return " ".join(zone[start : found[0].end].split()).strip(" ,.;:")


def name_at(text: str, start: int) -> str:
    """The name that starts at `start` ('Kharkiv Oblast'), whole words."""
    m = _NAME_RUN.match(text, start)
    name = m.group(0) if m else text[start : start + 20]
    return re.sub(r"\s+(?:of|the)$", "", name.split(",")[0]).strip()


def with_word_before(s: str, start: int, end: int) -> str:
    """A date mention with the word before it ('said today', 'on Tuesday')."""
    m = re.search(r"([\w'’]+)\s+$", s[max(0, start - 30) : start])
    before = m.group(1) + " " if m else ""
    return f"{before}{s[start:end]}".strip()


def attribution_words(a: Attribution, s: str) -> str:
    """The words that name the speaker, with the verb: 'said Victor Trehubov',
    'the ministry said', 'according to the UN'."""
    # Where the name is written: the last time before the verb ('X said'), the first after
    # 'according to'; apostrophes compared straight (same length, so offsets hold). No
    # pattern per name: each would evict a compiled pattern from re's small cache.
    straight = s.replace("’", "'").lower()
    raw = a.raw.replace("’", "'").lower()
    if a.kind in ("according", "inverted", "backward"):
        at = _whole_word_find(straight, raw, a.position, len(s))
    else:
        at = _whole_word_rfind(straight, raw, max(0, a.position - 150), a.position)
    name = s[at : at + len(a.raw)] if at >= 0 else a.raw  # as written, not lower-cased
    if a.kind == "subject":
        verb = re.match(r"[\w'’]+", s[a.position :])
        if verb and 0 <= at < a.position:
            return " ".join(s[at : a.position + verb.end()].split())  # the speaker's words
        return f"{name} {verb.group(0)}" if verb else name
    if a.kind == "inverted":
        verb = re.search(r"([\w'’]+)\W*$", s[max(0, a.position - 30) : a.position])
        return f"{verb.group(1)} {name}" if verb else name
    if a.kind == "according":
        if at > a.position:
            return " ".join(s[a.position : at + len(a.raw)].split())
        return f"according to {name}"
    return f"by {name}"


def _whole_word_find(text: str, word: str, start: int, end: int) -> int:
    at = text.find(word, start, end)
    while at >= 0 and not _bounded(text, at, at + len(word)):
        at = text.find(word, at + 1, end)
    return at


def _whole_word_rfind(text: str, word: str, start: int, end: int) -> int:
    at = text.rfind(word, start, end)
    while at >= 0 and not _bounded(text, at, at + len(word)):
        at = text.rfind(word, start, at + len(word) - 1)
    return at


def _bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (
        end >= len(text) or not text[end].isalnum()
    )
