"""When a claim was made (`sentence_date`), from the date words of its sentence, which dates.py
finds and resolves against the published date (or, without one, the latest full date in the text).

Order of evidence: `as of <day>` or a running total `from X to <the day it is reported>`, else
the first date said with a lead (`on`, `said on`, `reported Monday`) or a relative day
(`yesterday`); `since <day>` is never the claim's day. A month without a day (`in June`) blocks
the date other sentences would lend. The dateline (figures.py), a claimant's dated statement,
`over the past 24 hours` and a live blog's day (merge.py) are applied later; the period a figure
covers is periods.py's."""

import re
from datetime import date

from ingest.extraction import explanation
from ingest.extraction.dates import (
    find_dates,
    has_month_only,
    needs_floor,
    resolve,
)
from ingest.extraction.state import Context

_DATE_LEAD = re.compile(
    r"(?:\b(?:on|as of|dated)\s+(?:the\s+)?$|\b(?:said|says|told|reported|announced|stated|"
    r"added|wrote|claimed|confirmed|noted)\s+(?:on\s+)?$|^\s*(?:On)\s+$)",
    re.IGNORECASE,
)


_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_AS_OF = re.compile(r"\bas\s+of\s+$", re.IGNORECASE)
_UNTIL = re.compile(r"\b(?:to|until|till|through)\s+$", re.IGNORECASE)
_FROM_DATE = re.compile(r"\bfrom\s+\S+", re.IGNORECASE)


def sentence_date(ctx: Context, s: str) -> tuple[date | None, str, bool]:
    """(claim date, the note that says why, whether a month without a day blocks the date
    other sentences would lend). Periods are periods.py's."""
    claim_date = None
    note = ""
    for mention in find_dates(s):
        before = s[max(0, mention.start - 30) : mention.start]
        # The floor costs a pass over the whole text: worked out only for a mention that uses it.
        floor = ctx.floor if needs_floor(mention) else None
        value = resolve(mention, published=ctx.published, floor=floor)
        if value is None:
            continue
        if _SINCE.search(before):
            continue  # "since October 7" starts a period; it is not when the figure was given
        running_total = (
            _UNTIL.search(before)
            and _FROM_DATE.search(s[: mention.start])
            # a tally "to" the day it is reported, not a past span ("from Feb. 19 to June 19")
            and (ctx.published is None or abs((ctx.published - value).days) <= 2)
        )
        if _AS_OF.search(before) or running_total:
            # "from 24.02.22 to 19.11.24": a running total up to that day, as "as of" says
            # "as of Tuesday" fixes the day of the count, over an event date said before it
            # ("since the war broke out on October 7, ... as of Tuesday").
            claim_date = value
            note = f"date: '{explanation.with_word_before(s, mention.start, mention.end)}'"
            continue
        if (
            mention.relative
            or _DATE_LEAD.search(before)
            or (mention.weekday is not None and re.search(r"\b(?:said|reported|told)\s+$", before))
        ) and claim_date is None:
            claim_date = value
            note = f"date: '{explanation.with_word_before(s, mention.start, mention.end)}'"
    blocked = claim_date is None and has_month_only(s)
    return claim_date, note, blocked
