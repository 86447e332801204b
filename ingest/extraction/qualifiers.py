"""How a figure is hedged: exact, approx, at_least, at_most or range."""

import re

from ingest.extraction.data import cues, fold
from ingest.extraction.numbers import Figure

_TRAILING = {
    "at_least": re.compile(r"^\s*(?:\+|or more\b|and more\b|plus\b)", re.IGNORECASE),
    "approx": re.compile(r"^\s*(?:or so\b|odd\b)", re.IGNORECASE),
}


def qualify(sentence: str, figure: Figure) -> tuple[str, int | None, int | None, str | None]:
    """(qualifier, figure_low, figure_high, cue) for a figure in its sentence."""
    if figure.is_range:
        return "range", figure.low, figure.high, "range"
    before = sentence[max(0, figure.start - 40) : figure.start]
    folded = fold(before)
    after = sentence[figure.end : figure.end + 12]
    value = figure.low
    found = []
    for name in ("at_most", "at_least", "approx"):
        m = cues().qualifier_re[name].search(folded)
        if m:
            found.append((m.start(), name, m))
    if found:
        # The longest phrase wins: "no fewer than" is at_least although it ends in "fewer than".
        _, name, m = min(found, key=lambda f: f[0])
        return name, *_bounds(name, value), before[m.start() : m.end()].strip(" (“\"'‘")
    for name, pattern in _TRAILING.items():
        if pattern.search(after):
            return name, *_bounds(name, value), after.strip()
    return "exact", value, value, None


def _bounds(name: str, value: int) -> tuple[int | None, int | None]:
    if name == "at_least":
        return value, None
    if name == "at_most":
        return None, value
    return value, value
