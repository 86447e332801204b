"""Figures as written: digits with any thousands separator, number words, multipliers and
ranges. Offsets are relative to the string given."""

import re
from dataclasses import dataclass

from ingest.extraction.data import fold, trie_pattern

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_MULT = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "mln": 1_000_000,
    "bn": 1_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
}
_WORD = (
    r"(?:"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r"|hundred|thousand|million|billion|dozen)\b"
)
_NUMERIC = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])"
    r"|\d{1,3}(?:\.\d{3})+(?![\d.,]\d)"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])"
    r"|\d+(?:[.,]\d+)?"
)
_NUMRUN = rf"(?:{_NUMERIC})(?:(?:[ \u00a0-]|)(?:hundred|thousand|million|billion|mln|bn)\b|[kK]\b)?"
_WORDRUN = rf"{_WORD}(?:[ -]+{_WORD})*(?:-\d+)?"
_SPECIAL = (
    r"(?:a\s+)?quarter\s+of\s+a\s+million|half\s+a\s+million|(?:a\s+)?half\s+(?:a\s+)?million"
    r"|a\s+(?:million|thousand|hundred|dozen)\b"
)
# The patterns of figures and number words are case-sensitive, searched in fold(text).
FIGURE_RE = re.compile(rf"(?<![\w$€£#/.:\u00a0])(?:{_SPECIAL}|{_NUMRUN}|{_WORDRUN})")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_SPACE_GROUPS = re.compile(r"\d{1,3}(?: \d{3})+")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_DIGIT = re.compile(r"\d")
_NUMBER_WORD = re.compile(
    r"\b(?:" + trie_pattern([*NUMBER_WORDS, "hundred", "thousand", "million", "dozen"]) + r")\b"
)
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|to|and|or)\s*$", re.IGNORECASE)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
MONTH_RE = _MONTH
_MASKS = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|\b{_MONTH},?\s+\d{{4}}\b"
    r"|\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b"
    r"|\b\d{1,2}:\s?\d{2}\s*(?:[ap]\.?m\.?|h\b|hrs?\b)?|\b\d{1,2}\s*[ap]\.m\.|\b\d{1,2}\s*[AP]M\b"
    r"|\b(?!(?:thousand|hundred|million)\b)[A-Za-z]+-\d+\b|\b[A-Z][A-Za-z]*\d+\b|\b\d+(?:st|nd|rd|th)\b"
    r"|\b(?:[Ll]eopard|[Ss]u|[Mm]ig|[Tt]|[Ff]|[Mm])\s\d{1,3}\b"
    r"|\bWW\s?I{1,2}\b"
    r"|\d+(?:\.\d+)?\s?(?:\^|\*\*|[eE][+-]?)\s?\d+"
)
# Something a mask could match: a month, a time or date separator, letters glued to digits.
_MASK_HINT = re.compile(
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|[:/^*]|[A-Za-z]-\d|\d[A-Za-z]|[A-Za-z]\d"
    r"|\d\s?[ap]\.?m|\d\s?[AP]M|\d\s?[eE][+-]?\d|eopard \d|\b(?:Su|MiG|T|F|M) \d|\d{4}-\d"
)
# Whether _MASK_HINT matches anywhere in a sentence, as two searches the engine runs far
# faster: the signs and month names a hint can start with (each alternative opens with a
# literal, so the engine skips to those characters), and the digit every other hint holds,
# with what comes before it checked by lookbehinds.
_HINT_SIGNS = re.compile(r":|/|\^|\*|J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec")
_HINT_DIGITS = re.compile(
    r"\d(?:[A-Za-z]|\s?(?:[ap]\.?m|[AP]M|[eE][+-]?\d)|\d{3}-\d|(?<=[A-Za-z]\d)|(?<=[A-Za-z]-\d)"
    r"|(?<=eopard \d)|(?<=\bSu \d)|(?<=\bMiG \d)|(?<=\b[TFM] \d))"
)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


# Larger than any casualty count ever claimed (the Second World War's toll is under this):
# such a number is an ID, a sum of money or garbage, and would not fit the database either.
MAX_FIGURE = 100_000_000


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    low: int
    high: int
    is_range: bool
    text: str


_SPECIAL_VALUES = {
    "quarter of a million": 250_000,
    "a quarter of a million": 250_000,
    "half a million": 500_000,
    "a half million": 500_000,
    "half million": 500_000,
    "a million": 1_000_000,
    "a thousand": 1_000,
    "a hundred": 100,
    "a dozen": 12,
}
_SPACES = re.compile(r"\s+")
_WITH_MULTIPLIER = re.compile(r"^([\d., ]+?)\s*-?\s*(hundred|thousand|million|billion|mln|bn|k)$")


def parse_number(raw: str) -> float | None:
    """The value of one figure as written, or None when it is not a number."""
    s = raw.strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    s = _SPACES.sub(" ", s)
    if s in _SPECIAL_VALUES:
        return _SPECIAL_VALUES[s]
    if s[0].isdigit():
        mult = 1
        m = _WITH_MULTIPLIER.match(s)
        if m:
            s, mult = m.group(1).strip(), _MULT[m.group(2)]
        value = _parse_digits(s, has_multiplier=mult > 1)
        return None if value is None else value * mult
    return _parse_words(s)


def _parse_digits(s: str, *, has_multiplier: bool) -> float | None:
    if _COMMA_GROUPS.fullmatch(s):
        return float(s.replace(",", ""))
    if _DOT_GROUPS.fullmatch(s) and not has_multiplier:
        return float(s.replace(".", ""))  # European thousands: "1.189"
    if _SPACE_GROUPS.fullmatch(s):
        return float(s.replace(" ", ""))
    if _DECIMAL_COMMA.fullmatch(s):
        return float(s.replace(",", "."))  # European decimal comma: "1,4 million"
    if _PLAIN.fullmatch(s):
        return float(s)
    return None


def _parse_words(s: str) -> float | None:
    total, current, seen = 0, 0, False
    for token in re.split(r"[ -]+", s):
        if not token or token == "and":
            continue
        if token.isdigit():
            current += int(token)
        elif token in NUMBER_WORDS:
            current += NUMBER_WORDS[token]
        elif token == "dozen":
            current = (current or 1) * 12
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in ("thousand", "million", "billion"):
            total += (current or 1) * _MULT[token]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def has_number(folded: str) -> bool:
    """A digit or a number word in fold(text): the cheap test before any parsing. (The digit
    alone is a far faster search than one pattern for both.)"""
    return bool(_DIGIT.search(folded) or _NUMBER_WORD.search(folded))


def has_mask_hint(text: str) -> bool:
    """Whether _MASK_HINT matches anywhere in `text`."""
    return bool(_HINT_SIGNS.search(text) or _HINT_DIGITS.search(text))


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Dates, times, model names (Ka-52, Leopard 2), ordinals: digits that are not counts."""
    return [m.span() for m in _MASKS.finditer(text)]


def find_figures(text: str) -> list[Figure]:
    """Every count written in `text`, ranges joined, dates and model numbers left out."""
    folded = fold(text)
    if not has_number(folded):
        return []
    candidates = list(FIGURE_RE.finditer(folded))
    if not candidates:
        return []
    # A hint found in a window is one found in the whole sentence: most sentences have none
    # anywhere and need no window at all.
    hinted = has_mask_hint(text)
    atoms: list[tuple[int, int, float]] = []
    for m in candidates:
        start, end = m.span()
        raw = text[start:end]
        # Masks are looked for only around each candidate: the pattern is costly to run over
        # a whole sentence, and a date or model name never reaches further than this.
        lo, hi = max(0, start - 24), min(len(text), end + 24)
        if hinted and _MASK_HINT.search(text, lo, hi):
            window = _MASKS.finditer(text, lo, hi)
            if any(ms <= start < me or ms < end <= me for ms, me in (w.span() for w in window)):
                continue
        value = parse_number(raw)
        # A figure too large to be one (309 digits make a float infinite) is not a figure.
        if value is None or not 0 < value <= MAX_FIGURE or value != int(value):
            continue
        if _YEAR.match(raw) and not re.match(
            r"\s+(?:[a-z]+\s+){0,2}(?:troops|soldiers|people|civilians|servicemen|tanks|killed|dead)\b",
            text[end:],
        ):
            continue
        atoms.append((start, end, value))
    figures: list[Figure] = []
    i = 0
    while i < len(atoms):
        start, end, value = atoms[i]
        if i + 1 < len(atoms):
            nstart, nend, nvalue = atoms[i + 1]
            between = text[end:nstart]
            before = text[max(0, start - 12) : start].lower()
            joined = _RANGE_SEP.match(between)
            word_sep = between.strip().lower()
            if joined and (
                word_sep in ("-", "–", "—", "to")
                or (word_sep == "and" and re.search(r"between\s*$", before))
            ):
                low, high = value, nvalue
                if word_sep == "to" and 1 in (low, high) or low > high and word_sep == "to":
                    # "8 to 1", "1 to 8": a ratio, not a count.
                    i += 2
                    continue
                # "2-3 thousand": the multiplier written once applies to both ends.
                for mult in (1_000_000, 1_000, 100):
                    if high >= mult and low < high / mult and low * mult <= high:
                        if re.search(r"(thousand|million|hundred|k)\b", text[nstart:nend], re.I):
                            low *= mult
                        break
                if low < high:
                    figures.append(Figure(start, nend, int(low), int(high), True, text[start:nend]))
                    i += 2
                    continue
        figures.append(Figure(start, end, int(value), int(value), False, text[start:end]))
        i += 1
    return figures
