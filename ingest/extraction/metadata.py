"""Title, published date, outlet and author as the scraped text states them."""

import re
from datetime import date

from ingest.extraction.dates import find_dates, leading_tag_date
from ingest.extraction.types import ArticleMetadata

_JUNK = re.compile(
    r"^(?:skip to (?:main )?content|subscribe|share|menu|search|close|view|watch tv live|"
    r"most popular|loading…?|fbpx|edit post|advertisement|read more.*|news feed|×|comments?|"
    r"sign up.*|log ?in|home|tags?:.*|photo:.*|this audio is created with ai assistance)$",
    re.IGNORECASE,
)
_NOT_A_TITLE = re.compile(
    r"www\.|\.com\b|https?://|App Store|Google Play|^Tags?:|\|\s|\bmin read\b|"
    r"\((?:[^)]*/)?(?:Getty|AFP|Reuters|AP|Photo|Image)[^)]*\)\s*$|^Photo:|^Image:",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*(?:by|author:)\s+(?P<who>[^|\d]+?)(?:\s{2,}|\s*\||\s+\w+ \d|\s*$)", re.IGNORECASE
)
_OUTLET = re.compile(r"©\s*(?:\d{4}\s+)?(?P<outlet>[A-Z][\w .&-]{2,40}?)(?:[.,]|\s+All|\s*$)")


def read_metadata(text: str) -> ArticleMetadata:
    lines = [line.strip() for line in text.split("\n")[:40]]
    return ArticleMetadata(
        title=_title(lines),
        published=_published(text, lines),
        outlet=_outlet(text),
        author=_author(lines),
    )


def _title(lines: list[str]) -> str:
    """The first headline-like line: not site junk, a caption, a tag list or a byline, and
    without the full stop that ends body sentences (else the first plausible line)."""
    seen = 0
    for line in lines[:25]:
        clean = re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*", "", line).strip()
        words = clean.split()
        if not clean or _JUNK.match(clean) or len(words) < 4 or len(words) > 30:
            continue
        if clean.count(",") >= 4 or clean.lower().startswith(("by ", "author")):
            continue
        if _NOT_A_TITLE.search(clean):
            continue
        seen += 1
        if seen > 4:
            break  # deep in the body: the page's headline was not scraped
        if not clean.endswith((".", ")", ":")) and not clean.startswith(("“", '"', "'")):
            return clean
    return ""


def _published(text: str, lines: list[str]) -> date | None:
    tagged = leading_tag_date(text)
    if tagged:
        return tagged
    for line in lines[:12]:
        # A dateline or byline, not a caption or a body sentence that mentions another day.
        if len(line) > 90 or (
            len(line) > 45
            and not re.search(
                r"\b(?:[AP]M|published|updated|posted|by)\b|\d:\d\d|min read", line, re.IGNORECASE
            )
        ):
            continue
        for mention in find_dates(line):
            if mention.year and mention.month and mention.day:
                try:
                    return date(mention.year, mention.month, mention.day)
                except ValueError:
                    continue
    return None


def _author(lines: list[str]) -> str:
    for line in lines:
        m = _BYLINE.match(line)
        if m:
            who = m.group("who").strip(" ,")
            if 1 <= len(who.split()) <= 6:
                return who
    return ""


def _outlet(text: str) -> str:
    m = _OUTLET.search(text)
    return m.group("outlet").strip() if m else ""
