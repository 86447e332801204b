"""The period a figure covers ("since February 2022", "over the past 24 hours", "in May",
"from Feb. 19 to June 19", "since the full-scale invasion") and what kind of tally that makes
it: `daily` (a day or 24 hours), `cumulative` (a running total since the start of the war, or
of the battle the claim is about) or `period` (any other stated period). A claim whose words
state no period keeps all three fields empty.

Run once over the merged claims (`fill_periods`), when each claim's date is final: a period
with no stated end ends on the claim's date, else on the published date."""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.extraction.dates import find_dates, resolve
from ingest.extraction.numbers import NUMBER_WORDS
from ingest.extraction.types import BattleRef, ConflictRef, ExtractedClaim, ReferenceData

DAILY = "daily"
CUMULATIVE = "cumulative"
PERIOD = "period"
PERIOD_KINDS = (DAILY, CUMULATIVE, PERIOD)

# A start this close to the war's (or the battle's) start counts from it: a running total.
# The same slack as the conflict timeline's (claims/conflict_selectors.py).
START_SLACK = timedelta(days=7)

_MONTH_NAMES = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_MONTH = rf"(?P<month>{_MONTH_NAMES})\.?(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d{{2}}))?"
_COUNT = r"\d+|" + "|".join(w for w in NUMBER_WORDS if w not in ("zero", "a", "an"))
_DAYS_PER_UNIT = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}

# "in the past 24 hours", "over the last five months", "during the past week"
_LAST_N = re.compile(
    rf"\b(?:in|over|during|for|within)\s+the\s+(?:last|past|previous)\s+"
    rf"(?:(?P<n>{_COUNT})\s+)?(?P<unit>hour|day|week|month|year)s?\b",
    re.IGNORECASE,
)
# "over the day", "in one day", "in a single day", "over 24 hours", "during the day"
_ONE_DAY = re.compile(
    r"\b(?:over|in|during|within)\s+(?:the\s+day|(?:one|a|a\s+single)\s+day|24\s+hours)\b",
    re.IGNORECASE,
)
# "a 48-hour offensive", "the eight-month campaign": a period with no dates
_SPAN_NOUN = re.compile(
    rf"\b(?:a|an|the)\s+(?P<n>{_COUNT})-(?P<unit>hour|day|week|month|year)\s+"
    r"(?:offensive|campaign|operation|battle|assault|siege|period)\b",
    re.IGNORECASE,
)
_WAR_WORDS = (
    r"(?:full[- ]scale\s+)?(?:invasion|war|conflict|aggression)|(?:special\s+)?military\s+operation"
)
# "since the full-scale invasion", "since Russia's full-scale invasion of Ukraine began",
# "since the war broke out", "since the start of the conflict"
_SINCE_WAR = re.compile(
    rf"\bsince\s+(?:the\s+(?:start|beginning|outbreak|onset)\s+of\s+)?"
    rf"(?:the\s+|[A-Z][\w-]*(?:['’]s?)?\s+){{0,2}}(?:{_WAR_WORDS})\b",
    re.IGNORECASE,
)
# "during the full-scale invasion", "in the war", "killed in action during the conflict"
_DURING_WAR = re.compile(
    r"\b(?:during|in|throughout|over\s+the\s+course\s+of)\s+the\s+(?:full[- ]scale\s+)?"
    r"(?:invasion|war|conflict)\b(?!\s+(?:in|on|with|against)\b)",
    re.IGNORECASE,
)
_OF_THE_WAR = re.compile(rf"\s+of\s+the\s+(?:{_WAR_WORDS})\b", re.IGNORECASE)
_SO_FAR = re.compile(r"\b(?:so\s+far|to\s+date)\b", re.IGNORECASE)
# "since the beginning of the offensive on Avdiivka", "during the fighting in the Kursk
# area", "during the battles for Avdiivka": the battle the claim is about, from its start.
_SINCE_START_OF = re.compile(
    r"\bsince\s+the\s+(?:start|beginning|outbreak|onset)\s+of\s+(?P<what>[^,;.]{3,80})",
    re.IGNORECASE,
)
_DURING_BATTLE = re.compile(
    r"\b(?:during|in\s+the\s+course\s+of|throughout)\s+(?:the\s+)?"
    r"(?:fighting|fights|hostilities|battles?|clashes|combat|offensive)\s+(?:in|for|around|near|on)\b",
    re.IGNORECASE,
)
# "the beginning of the offensive on ...": an operation within the war, not the war
_OPERATION = re.compile(r"\b(?:offensive|counteroffensive|battle|siege|operation\s+on)\b", re.I)
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)
_UNTIL = re.compile(r"\b(?:until|till|up\s+to|through|to)\s+(?:today,?\s+)?(?:the\s+)?$", re.I)
_UNTIL_TODAY = re.compile(r"\b(?:until|till|up\s+to)\s+(?:today|now)\b", re.IGNORECASE)
_AS_OF = re.compile(r"\bas\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_MONTH_AT = re.compile(rf"\s*{_MONTH}(?![\w])(?!\s*\d)")
_MONTH_AFTER = re.compile(rf"\s*(?:[\w'’-]+\s+){{0,8}}?in\s+{_MONTH}(?![\w])(?!\s*\d)")
# "during the same period", "over the same time": the period of the claim before
_SAME_PERIOD = re.compile(r"\b(?:during|in|over|for)\s+the\s+same\s+(?:period|time)\b", re.I)
_SINCE_MONTH = re.compile(rf"\bsince\s+(?:early\s+|late\s+|mid-?)?{_MONTH}(?![\w])(?!\s*\d)")
# "in May", "in early March", "in December of last year": the month the figure counts,
# unless it is when something was said ("stated in late April", "leaked online in April").
_IN_MONTH = re.compile(
    rf"\b(?:[Ii]n|[Dd]uring|[Tt]hroughout)\s+(?:early\s+|late\s+|mid-?)?{_MONTH}(?![\w])(?!\s*\d)"
    r"(?P<last>\s+of\s+last\s+year)?"
)
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|stated|announced|reported|published|posted|released|leaked|told|wrote|"
    r"claimed|added|noted|declared|estimated|updated)\b(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)
# "from Feb. 19 to June 19", "from 1979 until 1989", "between October 2016 and ... July 2017",
# "(November 24-30)"
_DATE_TOKEN = (
    r"(?:(?P<{p}m>{months})\.?\s+(?P<{p}d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<{p}y>(?:19|20)\d\d))?"
    r"|(?P<{p}d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<{p}m2>{months})\.?(?:,?\s+(?P<{p}y2>(?:19|20)\d\d))?"
    r"|(?P<{p}m3>{months})\.?(?:\s+(?:of\s+)?(?P<{p}y3>(?:19|20)\d\d))?"
    r"|(?P<{p}y4>(?:19|20)\d\d))"
)
_RANGE = re.compile(
    r"\b(?:from|between)\s+(?:the\s+)?"
    + _DATE_TOKEN.format(p="a", months=_MONTH_NAMES)
    + r"\s+(?:to|until|till|through|and)\s+(?:[^,.;]{0,50}?\bin\s+)?(?:the\s+)?"
    + _DATE_TOKEN.format(p="b", months=_MONTH_NAMES)
    + r"(?![\w])"
)
_DAY_SPAN = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES})\.?\s+(?P<a>\d{{1,2}})\s*[-–]\s*(?P<b>\d{{1,2}})\b"
)
_MONTHS = {name[:3].lower(): i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
)}  # fmt: skip
_HINT = re.compile(
    r"since|past|last|previous|over|during|throughout|so far|to date|as of|from|between|"
    r"\bin\b|-(?:hour|day|week|month|year)|\d\s*[-–]\s*\d",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """A period stated in a sentence, at `start`..`end` in it."""

    start: int
    end: int
    kind: str
    first: date | None = None
    last: date | None = None
    # Its end is not stated: the claim's date (else the published date) ends it.
    open_end: bool = False
    words: str = ""


@dataclass(frozen=True)
class _Anchors:
    """What a sentence's periods are resolved against, for one claim."""

    day: date | None  # the claim's date, else the published date
    published: date | None
    conflict: ConflictRef | None
    battle: BattleRef | None


def fill_periods(
    claims: list[ExtractedClaim], *, text: str, published: date | None, reference: ReferenceData
) -> None:
    """Sets `period_start`, `period_end` and `period_kind` of each claim from the words of its
    excerpt (and of the line introducing a list line), and notes the words that decided."""
    battles = {battle.name: battle for battle in reference.battles}
    previous: ExtractedClaim | None = None
    for claim in claims:
        claim.period_start = claim.period_end = claim.period_kind = None
        where = _figure_offset(text, claim)
        if where is None:
            continue
        context, offset = _context(text, claim.excerpt, where)
        if not _HINT.search(context):
            continue
        anchors = _Anchors(
            day=claim.claim_date or published,
            published=published,
            conflict=_conflict(claim, battles, reference.conflicts),
            battle=battles.get(claim.battle) if claim.battle else None,
        )
        figure_start = offset + claim.start - where
        period = period_of(context, figure_start, figure_start + claim.end - claim.start, anchors)
        same = _SAME_PERIOD.search(context)
        if period is None and same and previous is not None:
            claim.period_kind = previous.period_kind
            claim.period_start, claim.period_end = previous.period_start, previous.period_end
            claim.notes.append(f"period: '{same.group(0)}', that of the figure before")
            continue
        if period is None:
            continue
        previous = claim
        claim.period_kind = period.kind
        claim.period_start = period.first
        claim.period_end = period.last
        claim.notes.append(f"period: '{period.words}'")


def period_of(
    sentence: str, figure_start: int, figure_end: int, anchors: _Anchors
) -> Period | None:
    """The period the figure at `figure_start`..`figure_end` of `sentence` covers: the stated
    period nearest to it, closed by an 'as of'/'until' date said in the same sentence."""
    found = find_periods(sentence, anchors)
    spans = [p for p in found if p.kind != "end"]
    if not spans:
        ends = [p for p in found if p.kind == "end"]
        if not ends:
            return None
        # "as of August 8, Russia had lost ...": a running total up to that day.
        end = min(ends, key=lambda p: _distance(p, figure_start, figure_end))
        return Period(end.start, end.end, CUMULATIVE, None, end.last, words=end.words)
    best = min(spans, key=lambda p: _distance(p, figure_start, figure_end))
    last = best.last
    if best.open_end:
        closing = [p for p in found if p.kind == "end" and p.start >= best.start]
        last = closing[0].last if closing else anchors.day
    if best.first is not None and last is not None and last < best.first:
        last = None
    return Period(best.start, best.end, best.kind, best.first, last, words=best.words)


def find_periods(sentence: str, anchors: _Anchors) -> list[Period]:
    """Every period stated in a sentence (and `end` marks: 'as of', 'until' a date)."""
    found: list[Period] = []

    def add(
        span: tuple[int, int],
        kind: str,
        first: date | None,
        last: date | None,
        open_end: bool = False,
    ) -> None:
        start, end = span
        if any(p.start < end and start < p.end for p in found):
            return  # an earlier, more specific reading holds these words
        words = sentence[start:end].strip()
        found.append(Period(start, end, kind, first, last, open_end, words))

    for m in _RANGE.finditer(sentence):
        first, _ = _token(m, "a", anchors)
        _, last = _token(m, "b", anchors)
        if first is not None and last is not None and last < first:
            first = last = None
        add(m.span(), PERIOD, first, last)
    for m in _DAY_SPAN.finditer(sentence):
        month, a, b = _MONTHS[m["month"][:3].lower()], int(m["a"]), int(m["b"])
        year = _year_of(month, anchors.day)
        if a < b and year is not None:
            add(m.span(), PERIOD, _safe(year, month, a), _safe(year, month, b))
    war_start = anchors.conflict.start if anchors.conflict else None
    for m in _LAST_N.finditer(sentence):
        n = m["n"].lower() if m["n"] else "1"
        count = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 0)
        days = max(1, round(count * _DAYS_PER_UNIT[m["unit"].lower()]))
        if not count:
            continue
        war = _OF_THE_WAR.match(sentence, m.end())
        if war:
            # "in the past 16 months of the full-scale war": the war so far
            add((m.start(), war.end()), CUMULATIVE, war_start, None, True)
            continue
        first = anchors.day - timedelta(days=days) if anchors.day else None
        add(m.span(), DAILY if days <= 1 else PERIOD, first, anchors.day)
    for m in _ONE_DAY.finditer(sentence):
        add(m.span(), DAILY, anchors.day - timedelta(days=1) if anchors.day else None, anchors.day)
    for m in _SPAN_NOUN.finditer(sentence):
        add(
            m.span(),
            DAILY if m["unit"].lower() == "hour" and m["n"] == "24" else PERIOD,
            None,
            None,
        )
    for m in _SINCE_WAR.finditer(sentence):
        stated, stated_end = _month_start(sentence, m.end(), anchors)
        add((m.start(), stated_end or m.end()), CUMULATIVE, stated or war_start, None, True)
    for m in _SINCE_START_OF.finditer(sentence):
        # "... in October 2023 until Feb. 17, 2024": the end is read on its own
        what = re.split(r"\b(?:until|till|up\s+to)\b", m["what"])[0]
        span = (m.start(), m.start("what") + len(what.rstrip()))
        named = _MONTH_AT.match(what)
        if named:
            # "since the beginning of May"
            first = _month_bounds(named["month"], named["year"], anchors)[0]
            add(span, PERIOD, first, None, True)
        elif re.search(_WAR_WORDS, what, re.IGNORECASE) and not _OPERATION.search(what):
            add(span, CUMULATIVE, war_start, None, True)
        elif anchors.battle is not None:
            # "since the beginning of hostilities in the Kursk Region": the claim's battle
            add(span, CUMULATIVE, anchors.battle.start, None, True)
        elif re.search(r"\b(?:hostilities|fighting)\b", what, re.IGNORECASE):
            add(span, CUMULATIVE, war_start, None, True)
        else:
            stated, _ = _month_start(sentence, m.start("what"), anchors)
            if stated is not None:
                add(span, PERIOD, stated, None, True)
    for m in _DURING_BATTLE.finditer(sentence):
        if anchors.battle is not None:
            add(m.span(), CUMULATIVE, anchors.battle.start, None, True)
    for m in _DURING_WAR.finditer(sentence):
        add(m.span(), CUMULATIVE, war_start, None, True)
    for m in _SO_FAR.finditer(sentence):
        add(m.span(), CUMULATIVE, war_start, None, True)
    for m in _SINCE_MONTH.finditer(sentence):
        first = _month_bounds(m["month"], m["year"], anchors)[0]
        kind = PERIOD
        for start in (war_start, anchors.battle.start if anchors.battle else None):
            if first is not None and start is not None and _same_month(first, start):
                first, kind = start, CUMULATIVE  # "since February" 2022: the invasion
        add(m.span(), kind, first, None, True)
    for m in _IN_MONTH.finditer(sentence):
        if _SAID_BEFORE.search(sentence[max(0, m.start() - 40) : m.start()]):
            continue
        year_text: str | None = m["year"]
        day = anchors.day
        if m["last"] and day is not None:
            year_text, day = str(day.year - 1), None  # "in December of last year"
        first, last = _month_bounds(m["month"], year_text, _Anchors(day, None, None, None))
        add(m.span(), PERIOD, first, last)
    for mention in find_dates(sentence):
        before = sentence[max(0, mention.start - 30) : mention.start]
        value = resolve(mention, published=anchors.day, floor=None)
        if _SINCE.search(before):
            if (
                value is None
                and war_start is not None
                and (mention.year, mention.month, mention.day)
                == (None, war_start.month, war_start.day)
            ):
                value = war_start  # "since October 7" in an undated Gaza war article
            kind = PERIOD
            for start in (war_start, anchors.battle.start if anchors.battle else None):
                if value is not None and start is not None and abs(value - start) <= START_SLACK:
                    kind = CUMULATIVE
            since = mention.start - len(before) + before.lower().rfind("since")
            add((since, mention.end), kind, value, None, True)
        elif _AS_OF.search(before) or _UNTIL.search(before):
            add((mention.start, mention.end), "end", None, value)
    for m in _UNTIL_TODAY.finditer(sentence):
        add(m.span(), "end", None, anchors.day)
    return found


def _distance(period: Period, figure_start: int, figure_end: int) -> int:
    if period.end <= figure_start:
        return figure_start - period.end
    if period.start >= figure_end:
        return period.start - figure_end
    return 0


def _month_start(sentence: str, after: int, anchors: _Anchors) -> tuple[date | None, int | None]:
    """'since Russia's full-scale invasion began in February 2022': the stated month (or the
    war's or battle's start when it falls in that month) and where its words end."""
    m = _MONTH_AFTER.match(sentence, after)
    if m is None or not m["year"]:
        return None, None
    first = _month_bounds(m["month"], m["year"], anchors)[0]
    for start in (
        anchors.conflict.start if anchors.conflict else None,
        anchors.battle.start if anchors.battle else None,
    ):
        if first is not None and start is not None and _same_month(first, start):
            return start, m.end()
    return first, m.end()


def _token(m: re.Match[str], p: str, anchors: _Anchors) -> tuple[date | None, date | None]:
    """The first and last day a range's end point names ('Feb. 19', 'October 2016', '1979')."""
    if m[f"{p}y4"]:
        whole = int(m[f"{p}y4"])
        return date(whole, 1, 1), date(whole, 12, 31)
    if m[f"{p}m3"]:
        return _month_bounds(m[f"{p}m3"], m[f"{p}y3"], anchors)
    month_name = m[f"{p}m"] or m[f"{p}m2"]
    day = int(m[f"{p}d"] or m[f"{p}d2"])
    year_text = m[f"{p}y"] or m[f"{p}y2"]
    month = _MONTHS[month_name[:3].lower()]
    year = int(year_text) if year_text else _year_of(month, anchors.day)
    value = _safe(year, month, day) if year is not None else None
    return value, value


def _month_bounds(
    name: str, year_text: str | None, anchors: _Anchors
) -> tuple[date | None, date | None]:
    month = _MONTHS[name[:3].lower()]
    year = int(year_text) if year_text else _year_of(month, anchors.day)
    if year is None:
        return None, None
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _year_of(month: int, day: date | None) -> int | None:
    """The year of a month named without one: the latest not after the claim's day."""
    if day is None:
        return None
    return day.year if month <= day.month else day.year - 1


def _same_month(a: date, b: date) -> bool:
    return (a.year, a.month) == (b.year, b.month)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _conflict(
    claim: ExtractedClaim, battles: dict[str, BattleRef], conflicts: tuple[ConflictRef, ...]
) -> ConflictRef | None:
    """The war a claim is about: its battle's, else the one whose sides include its side,
    else the only one there is (as claims.services.claim_conflict_for decides)."""
    battle = battles.get(claim.battle) if claim.battle else None
    if battle is not None:
        return next((c for c in conflicts if c.name == battle.conflict), None)
    matching = [c for c in conflicts if claim.side in c.sides]
    if len(matching) == 1:
        return matching[0]
    return conflicts[0] if len(conflicts) == 1 else None


def _figure_offset(text: str, claim: ExtractedClaim) -> int | None:
    """Where the claim's excerpt starts in the text (the occurrence holding its figure)."""
    excerpt = claim.excerpt
    if not excerpt:
        return None
    where = text.find(excerpt, max(0, claim.end - len(excerpt)))
    if where < 0 or where > claim.start:
        return None
    return where


def _context(text: str, excerpt: str, where: int) -> tuple[str, int]:
    """The excerpt, after the line that introduces it when it is a list line ('Losses over
    the past day:'), and where the excerpt starts in what is returned."""
    line_start = text.rfind("\n", 0, where)
    if line_start > 0:
        previous = text[text.rfind("\n", 0, line_start) + 1 : line_start].strip()
        if previous.endswith(":") and len(previous) < 300:
            return f"{previous} {excerpt}", len(previous) + 1
    return excerpt, 0
