"""Dates as written ("July 18", "Jan. 1", "Monday", "as of July 12", "since Sept. 1, 2022")
and their resolution against the published date."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.extraction.data import fold

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_MD = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?")
_DM = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})\b")
_SLASH = re.compile(r"\b(?P<day>\d{1,2})/(?P<mnum>\d{1,2})/(?P<year>(?:19|20)\d{2})\b")
# "24.02.22", "19.11.2024": day first, as the outlets that write dots do
_DOTTED = re.compile(r"\b(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>(?:19|20)?\d{2})\b(?!\.\d)")
_WEEKDAY = re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE = re.compile(r"\b(?P<rel>today|yesterday|tonight|this morning|last night)\b", re.I)
_MONTH_ONLY = re.compile(
    rf"\b(?:[Ii]n|[Ee]arly|[Ll]ate|[Mm]id-?|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]hrough)\s+{_MONTH}(?![A-Za-z])(?!\s+\d)"
    r"|\b(?:last|next)\s+(?:year|month|week|spring|summer|autumn|fall|winter)\b"
    r"|\b[Ii]n\s+(?:19|20)\d{2}\b"
)
_LEADING_TAG = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b")
_DATELINE = re.compile(rf"^[A-Z][A-Z/ .,-]{{2,40}},\s+{_MONTH}\s+{_DAY}\b")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    month: int | None = None
    day: int | None = None
    year: int | None = None
    weekday: int | None = None
    relative: str | None = None


_ANY_DATE = re.compile(  # searched in the folded text
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|today|yesterday|tonight|this morning|last night)|\d[-/]\d|\d\.\d\d?\."
)


def find_dates(text: str) -> list[DateMention]:
    if not _ANY_DATE.search(fold(text)):
        return []
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], **kw: int | str | None) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append(m.span())
        found.append(DateMention(m.start(), m.end(), **kw))  # type: ignore[arg-type]

    for m in _ISO.finditer(text):
        month, day = int(m["mnum"]), int(m["day"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            add(m, month=month, day=day, year=int(m["year"]))
    for m in _DOTTED.finditer(text):
        day, month, year = int(m["day"]), int(m["mnum"]), int(m["year"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            add(m, month=month, day=day, year=year if year > 99 else 2000 + year)
    for m in _SLASH.finditer(text):
        # Day first: the outlets that write slashes in our corpus are European.
        day, month = int(m["day"]), int(m["mnum"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            add(m, month=month, day=day, year=int(m["year"]))
    for pattern in (_MD, _DM):
        for m in pattern.finditer(text):
            day = int(m["day"])
            if 1 <= day <= 31:
                add(
                    m,
                    month=_MONTHS[m["month"][:3].lower()],
                    day=day,
                    year=int(m["year"]) if m["year"] else None,
                )
    for m in _WEEKDAY.finditer(text):
        add(m, weekday=_WEEKDAYS[m["weekday"].lower()])
    for m in _RELATIVE.finditer(text):
        add(m, relative=m["rel"].lower())
    return sorted(found, key=lambda d: d.start)


def has_month_only(text: str) -> bool:
    """'In June', 'last year': the text places the statement in time without fixing a day."""
    return bool(_MONTH_ONLY.search(text))


def leading_tag_date(text: str) -> date | None:
    m = _LEADING_TAG.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def dateline(text: str) -> DateMention | None:
    """'MOSCOW, October 13. /TASS/.' at the start of the body."""
    for line in text.split("\n")[:30]:
        m = _DATELINE.match(line.strip())
        if m:
            return DateMention(0, 0, month=_MONTHS[m["month"][:3].lower()], day=int(m["day"]))
    return None


_FULL_DATE = re.compile(
    rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>Jan(?:uary)?|Feb(?:ruary)?|"
    r"Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|"
    r"Nov(?:ember)?|Dec(?:ember)?)\.?,?\s+(?P<year2>(?:19|20)\d{2})\b"
    r"|\b(?P<year3>(?:19|20)\d{2})-(?P<month3>\d{2})-(?P<day3>\d{2})\b"
)


def latest_full_date(text: str) -> date | None:
    """The latest date written with its year: a lower bound for an undated article."""
    best = None
    for m in _FULL_DATE.finditer(text):
        if m["year"]:
            value = _safe(int(m["year"]), _MONTHS[m["month"][:3].lower()], int(m["day"]))
        elif m["year2"]:
            value = _safe(int(m["year2"]), _MONTHS[m["month2"][:3].lower()], int(m["day2"]))
        else:
            value = _safe(int(m["year3"]), int(m["month3"]), int(m["day3"]))
        if value and (best is None or value > best):
            best = value
    return best


def resolve(mention: DateMention, *, published: date | None, floor: date | None) -> date | None:
    """A calendar date for a mention. Without a year, the published date (the statement came
    before it) or else the latest full date in the text (the article came after it) decides."""
    if mention.relative:
        if published is None:
            return None
        return published - timedelta(days=1) if mention.relative == "yesterday" else published
    if mention.weekday is not None:
        if published is None:
            return None
        return published - timedelta(days=(published.weekday() - mention.weekday) % 7)
    if mention.month is None or mention.day is None:
        return None
    if mention.year:
        return _safe(mention.year, mention.month, mention.day)
    if published is not None:
        for year in (published.year + 1, published.year, published.year - 1):
            value = _safe(year, mention.month, mention.day)
            if value and value <= published + timedelta(days=2):
                return value
        return None
    if floor is not None:
        for year in (floor.year, floor.year + 1):
            value = _safe(year, mention.month, mention.day)
            if value and value >= floor - timedelta(days=2):
                return value
    return None


def needs_floor(mention: DateMention) -> bool:
    """Whether resolve() falls back on the floor for this mention (when there is no published
    date): a day and month written without a year."""
    return (
        not mention.relative
        and mention.weekday is None
        and mention.month is not None
        and mention.day is not None
        and not mention.year
    )


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
