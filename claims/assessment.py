"""How far a claim stands alone (issue 15, part 4): how many other articles report it, and
whether other claimants contradict it.

A claim is **contested** when another approved claim
- is about the same battle, the same side's losses and the same category,
- covers the same period: the same `period_start` and `period_end` where a claim states them,
  and otherwise the calendar month of its `claim_date` stands in for the missing end,
- comes from a different claimant (claims the article itself asserts, with no claimant, are
  never compared), and
- has a figure range that does not overlap this one's (an open end reaches without limit:
  "at least 5,000" overlaps "20,000").
Claims about a whole war (no battle) are not compared: a whole-war figure and a battle's are
different counts.

**Corroborations** are the other articles that report the same claim (`reports`, filled when an
editor merges a claim into another). Whether those articles are independent (two outlets may
copy one wire story) is not checked.
"""

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateField,
    Exists,
    Field,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth

from claims.models import Claim

# Shown on a claim's page; a claim contradicted more often than this says "and others".
CONFLICT_LIST_LIMIT = 20


def _with_period(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Adds the period a claim is compared over: its stated period, each missing end taken
    as the month the claim was made."""
    month = TruncMonth("claim_date", output_field=DateField())
    return claims.alias(
        period_from=Coalesce("period_start", month, output_field=DateField()),
        period_to=Coalesce("period_end", month, output_field=DateField()),
    )


def _conflicting(ref: Callable[[str], Any]) -> QuerySet[Claim]:
    """Approved claims that contradict the claim whose values `ref` gives (an OuterRef for
    a flag on every row, or a Value for one claim). A NULL compared in SQL matches nothing,
    so a claim without battle, claimant or period never conflicts."""
    return (
        _with_period(Claim.objects.filter(status=Claim.Status.APPROVED))
        # The stubs' plugin does not see the aliases _with_period() adds.
        .filter(  # type: ignore[misc]
            battle_id=ref("battle_id"),
            side=ref("side"),
            category=ref("category"),
            period_from=ref("period_from"),
            period_to=ref("period_to"),
            claimant_id__isnull=False,
        )
        .filter(~Q(claimant_id=ref("claimant_id")))
        .filter(Q(figure_high__lt=ref("figure_low")) | Q(figure_low__gt=ref("figure_high")))
    )


def claim_with_assessment(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Adds `contested` to each claim: apply to the rows shown (a page), not before counting."""
    conflicts = _conflicting(OuterRef)
    return _with_period(claims).annotate(contested=Exists(conflicts))


def claim_filter_contested(claims: QuerySet[Claim], *, contested: bool) -> QuerySet[Claim]:
    exists = Exists(_conflicting(OuterRef))
    return _with_period(claims).filter(exists if contested else ~exists)


def claim_filter_corroborated(claims: QuerySet[Claim], *, at_least: int) -> QuerySet[Claim]:
    """Claims reported by at least this many other articles."""
    if at_least <= 0:
        return claims
    reports = (
        # The stubs' plugin loses annotations made after values() (django-stubs issue 3509).
        Claim.reported_by.through.objects.filter(claim_id=OuterRef("pk"))  # type: ignore[misc]
        .order_by()
        .values("claim_id")
        .annotate(count=Count("*"))
        .values("count")
    )
    return claims.alias(corroborations=Coalesce(Subquery(reports), 0)).filter(
        corroborations__gte=at_least
    )


# The types of the values a claim is compared by, for claim_conflicts().
_COMPARED_FIELDS: dict[str, "Field[Any, Any]"] = {
    "battle_id": BigIntegerField(),
    "claimant_id": BigIntegerField(),
    "side": CharField(),
    "category": CharField(),
    "figure_low": BigIntegerField(),
    "figure_high": BigIntegerField(),
    "period_from": DateField(),
    "period_to": DateField(),
}


def claim_conflicts(*, claim: Claim) -> QuerySet[Claim]:
    """The approved claims that contradict `claim`, newest first, for its page and the
    `conflicts_with` filter."""
    month = month_start(claim.claim_date)
    values: dict[str, Any] = {
        "battle_id": claim.battle_id,
        "claimant_id": claim.claimant_id,
        "side": claim.side,
        "category": claim.category,
        "figure_low": claim.figure_low,
        "figure_high": claim.figure_high,
        "period_from": claim.period_start or month,
        "period_to": claim.period_end or month,
    }
    return _conflicting(
        lambda name: Value(values[name], output_field=_COMPARED_FIELDS[name])
    ).order_by("-claim_date", "-id")


class Conflicts(NamedTuple):
    claims: list[Claim]
    more: bool  # there are more than the list shows


def claim_contested_list(*, claim: Claim) -> Conflicts:
    """Up to CONFLICT_LIST_LIMIT claims contradicting `claim`, with their claimant and
    article, for its page."""
    rows = list(
        claim_conflicts(claim=claim).select_related("claimant", "article__outlet")[
            : CONFLICT_LIST_LIMIT + 1
        ]
    )
    return Conflicts(claims=rows[:CONFLICT_LIST_LIMIT], more=len(rows) > CONFLICT_LIST_LIMIT)


def month_start(day: date | None) -> date | None:
    """The first day of the month, as TruncMonth gives it in SQL."""
    return day.replace(day=1) if day else None
