"""How pages show the date a claim is placed at (issue 14): the date the text states, else
the article's publication date, marked as such, at the precision it is known to."""

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim, DatePrecision

register = template.Library()

PRECISION_FORMATS: dict[str, str] = {
    DatePrecision.DAY: "Y-m-d",
    DatePrecision.MONTH: "F Y",
    DatePrecision.YEAR: "Y",
}


@register.simple_tag
def placed_date(claim: Claim) -> SafeString:
    """'2024-05-03', 'May 2024' (a month stated), '2024-05-03 published' (the article's
    date: the text states none) or 'undated'. Needs the claim's article loaded."""
    placed = claim.placed_date
    if placed is None:
        return mark_safe('<span class="meta">undated</span>')  # noqa: S308 (constant text)
    shown = date_format(placed, PRECISION_FORMATS.get(claim.date_precision or "day", "Y-m-d"))
    if claim.date_basis == Claim.DateBasis.PUBLISHED:
        return format_html(
            '<time class="nowrap" datetime="{}">{}</time> '
            '<span class="meta date-basis" title="{}">published</span>',
            placed.isoformat(),
            shown,
            "The text states no date: this is the article's publication date.",
        )
    return format_html('<time class="nowrap" datetime="{}">{}</time>', placed.isoformat(), shown)
