"""Template helpers for the researcher pages. Every piece of article text goes through
`escape` before any markup of ours is put around it."""

import json
import re
from collections.abc import Iterable
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims import selectors
from claims.models import Article, Claim
from claims.selectors import ClaimantLatest
from claims.templatetags.claims_dates import placed_date

register = template.Library()

PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


@register.filter
def affiliation_label(slug: str | None) -> str:
    return selectors.affiliation_label(slug)


# The characters Django's json_script escapes, so that the JSON cannot end its <script>.
JSON_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


@register.filter
def chart_json(value: Any, element_id: str) -> SafeString:
    """What Django's json_script filter writes, escaped with str.replace: json_script's
    str.translate walks the text in Python, ~20 ms for a chart's 1,000 points (issue 14)."""
    data = json.dumps(value, cls=DjangoJSONEncoder)
    for character, escaped in JSON_SCRIPT_ESCAPES:
        data = data.replace(character, escaped)
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        # Safe: every character that could end the <script> or open markup is escaped above.
        mark_safe(data),  # noqa: S308
    )


@register.simple_tag
def claimant_latest_row(row: ClaimantLatest) -> SafeString:
    """A row of a conflict page's comparison: the claimant, its latest claim's figure, the
    period it covers and its date. Written here rather than in the template: the conflict page
    shows ~800 of them, and the template's variable lookups cost ~30 ms (issue 14)."""
    claim, claimant = row["latest_claim"], row["claimant"]
    if claimant is None:
        who = mark_safe('<span class="meta">the article</span>')  # noqa: S308 (constant text)
    else:
        who = format_html(
            '<a href="{}">{}</a> <span class="meta">{}</span>',
            claimant.get_absolute_url(),
            claimant.name,
            selectors.affiliation_label(claimant.affiliation),
        )
    covering = claim.period_display or mark_safe('<span class="meta">not stated</span>')  # noqa: S308
    return format_html(
        '<tr><td>{}</td><td class="num nowrap"><a href="{}">{}</a></td><td>{}</td>'
        '<td class="nowrap">{}</td></tr>',
        who,
        claim.get_absolute_url(),
        claim.figure_display,
        covering,
        placed_date(claim),
    )


@register.filter
def safe_external_url(url: str | None) -> str:
    """The url when it is http(s), else '': a stored url never becomes a javascript: link."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return ""


def _offsets_fit(body: str, claim: Claim) -> bool:
    return 0 <= claim.start_offset < claim.end_offset <= len(body)


@register.simple_tag
def claim_in_paragraph(claim: Claim) -> SafeString:
    """The paragraph of the article that holds the claim, its figure in <mark>. Falls back to
    the stored excerpt when the offsets do not fit the article's text."""
    body = claim.article.body or ""
    if not _offsets_fit(body, claim):
        return format_html("<p>{}</p>", claim.excerpt)
    start = max((m.end() for m in PARAGRAPH_BREAK.finditer(body, 0, claim.start_offset)), default=0)
    following = PARAGRAPH_BREAK.search(body, claim.end_offset)
    end = following.start() if following else len(body)
    return format_html(
        "<p>{}<mark>{}</mark>{}</p>",
        body[start : claim.start_offset],
        body[claim.start_offset : claim.end_offset],
        body[claim.end_offset : end],
    )


@register.simple_tag
def article_text_with_claims(article: Article, claims: Iterable[Claim]) -> SafeString:
    """The article's text as paragraphs, each approved claim's figure a highlighted link to
    the claim. Claims whose offsets overlap an earlier one or fall outside the text are left
    unmarked rather than breaking the text."""
    body = article.body or ""
    claims = sorted(claims, key=lambda c: (c.start_offset, c.id))
    first_claim = min((c.start_offset for c in claims if _offsets_fit(body, c)), default=len(body))
    pieces: list[str] = []
    # The page's header shows the title and date already; the text's own copy is left out
    # (never a figure that is a claim).
    position = min(_header_end(article), first_claim)
    for claim in claims:
        if not _offsets_fit(body, claim) or claim.start_offset < position:
            continue
        pieces.append(_paragraphs(body[position : claim.start_offset]))
        pieces.append(
            format_html(
                '<mark><a href="{}" title="{}">{}</a></mark>',
                claim.get_absolute_url(),
                f"Claim: {claim.figure_display} {claim.get_category_display().lower()}",
                body[claim.start_offset : claim.end_offset],
            )
        )
        position = claim.end_offset
    pieces.append(_paragraphs(body[position:]))
    return mark_safe(f"<p>{''.join(pieces)}</p>")  # noqa: S308 - every piece is escaped above


HEADER_LINES = 4  # the opening lines that may repeat the header: outlet, title, byline, date


def _header_end(article: Article) -> int:
    """Where the text proper starts: after the last of its opening lines that repeats the
    article's title, outlet or published date ("May 3, 2023"), as plain-text uploads begin;
    0 when none does."""
    body = article.body or ""
    published = article.published_date
    repeats = {article.title.casefold().strip()} - {""}
    if article.outlet:
        repeats.add(article.outlet.name.casefold())
    if published:
        month, short = published.strftime("%B"), published.strftime("%b")
        day, year = published.day, published.year
        repeats |= {
            published.isoformat(),
            *(f"{m} {day}, {year}".casefold() for m in (month, short)),
            *(f"{day} {m} {year}".casefold() for m in (month, short)),
        }
    end = 0
    position = 0
    for number, line in enumerate(body.splitlines(keepends=True)):
        if number >= HEADER_LINES:
            break
        position += len(line)
        if line.strip().casefold() in repeats:
            end = position
    return end


def _paragraphs(text: str) -> str:
    return "</p>\n<p>".join(escape(part) for part in PARAGRAPH_BREAK.split(text))


@register.filter
def thousands(value: int | float | str | None) -> str:
    """12000 -> '12,000', the way figures are written in the articles we collect."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
