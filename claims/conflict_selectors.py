"""Reads for conflicts (issue 14): the war-wide claims of a conflict compared as a battle page
compares a battle's, the timeline of each claimant's tallies, and the conflict's battles.

War-wide claims are those of the conflict with no battle: headline totals ("600,000 troops
since the invasion"), daily tallies, intelligence estimates."""

from datetime import date, timedelta

from django.db.models import F, QuerySet

from claims import selectors
from claims.models import Battle, Claim, Conflict
from claims.selectors import (
    ARTICLE_HEAVY_FIELDS,
    ChartPoint,
    ClaimantLatest,
    ClaimsSummary,
    affiliation_label,
    approved_claims_count,
    claim_chart_points,
    claim_list_public,
    claims_summary,
)

# The page compares the most recently active claimants of each category and side; the API
# summary lists them all.
CLAIMANTS_PER_GROUP = 12
# A period of at most this long is a daily tally ("over the past 24 hours").
DAILY_SPAN = timedelta(days=1)
# A period starting this close to the conflict's start counts from it: a cumulative total.
CUMULATIVE_START_SLACK = timedelta(days=7)


class Tally:
    CUMULATIVE = "cumulative"
    DAILY = "daily"
    PERIOD = "period"


def conflict_list_public() -> QuerySet[Conflict]:
    """Every conflict (reference data, all public) with its approved claims' count, the
    oldest war first."""
    return Conflict.objects.annotate(claims_count=approved_claims_count("conflict")).order_by(
        F("start_date").asc(nulls_last=True), "name"
    )


def conflict_list_with_battles() -> list[Conflict]:
    """The home page: every conflict with its claims' count and its battles as
    battle_list_summary() gives them (as `.battle_summaries`). Three queries."""
    conflicts = list(conflict_list_public())
    battles = selectors.battle_list_summary()
    for conflict in conflicts:
        # Not a model field: the home page lists it.
        conflict.battle_summaries = [  # type: ignore[attr-defined]
            battle for battle in battles if battle.conflict_id == conflict.pk
        ]
    return conflicts


def conflict_claim_list(*, conflict: Conflict) -> QuerySet[Claim]:
    """The approved claims of a conflict, with or without a battle."""
    return claim_list_public().filter(conflict=conflict).defer(*ARTICLE_HEAVY_FIELDS)


def conflict_war_wide_claims(*, conflict: Conflict) -> QuerySet[Claim]:
    """The approved claims about the whole conflict: no battle."""
    return conflict_claim_list(conflict=conflict).filter(battle__isnull=True)


def conflict_battles(*, conflict: Conflict) -> list[Battle]:
    """The conflict's battles in time order, each with its approved claims' count. One query."""
    return list(
        Battle.objects.filter(conflict=conflict)
        .annotate(claims_count=approved_claims_count("battle"))
        .order_by(F("start_date").asc(nulls_last=True), "name")
    )


class ConflictSummary(ClaimsSummary):
    conflict: Conflict
    battles: list[Battle]
    battle_claims_count: int


def conflict_summary(
    *, conflict: Conflict, claimants_per_group: int | None = None
) -> ConflictSummary:
    """A conflict's war-wide claims tabulated as a battle's are (per category and side: the
    count, the range of figures and each claimant's latest claim, of the
    `claimants_per_group` most recently active claimants only when given), and its battles
    with their counts. Three queries."""
    war_wide = Claim.objects.filter(
        status=Claim.Status.APPROVED, conflict=conflict, battle__isnull=True
    )
    battles = conflict_battles(conflict=conflict)
    # The index claim_war_wide_newest serves both the counts and each claimant's latest claim.
    summary = claims_summary(
        claims=war_wide, claimants_per_group=claimants_per_group, newest_by_index=True
    )
    for group in summary["groups"]:
        # Most recently active claimant first (undated claims last).
        group["claimants"].sort(key=_recency, reverse=True)
    return {
        "conflict": conflict,
        **summary,
        "battles": battles,
        "battle_claims_count": sum(getattr(battle, "claims_count", 0) for battle in battles),
    }


def _recency(row: ClaimantLatest) -> tuple[bool, date, int]:
    claim = row["latest_claim"]
    return (claim.claim_date is not None, claim.claim_date or date.min, claim.pk)


def claim_tally_kind(
    *,
    period_start: date | None,
    period_end: date | None,
    conflict_start: date | None,
    period_kind: str = "",
) -> str:
    """Whether a figure is a running total (no period, or one counted from the war's start),
    a daily tally (a period of a day) or the tally of another period ("in May"). The kind the
    extractor read or an editor set (`period_kind`) wins over what the dates suggest."""
    if period_kind:
        return period_kind
    if period_start is None:
        return Tally.CUMULATIVE
    if period_end is not None and period_end - period_start <= DAILY_SPAN:
        return Tally.DAILY
    if conflict_start is not None and period_start <= conflict_start + CUMULATIVE_START_SLACK:
        return Tally.CUMULATIVE
    return Tally.PERIOD


TALLY_PANELS = {
    Tally.CUMULATIVE: "running totals",
    Tally.DAILY: "daily tallies",
    Tally.PERIOD: "tallies for a period",
}


def conflict_timeline_points(*, conflict: Conflict, claims: QuerySet[Claim]) -> list[ChartPoint]:
    """The war-wide claims on a timeline: one line per claimant (its running total over
    time) in a panel per category and side; daily tallies and tallies of other periods in
    panels of their own, so that an increment is never read as a total."""
    categories = dict(Claim.Category.choices)
    points = claim_chart_points(claims=claims)
    for point in points:
        tally = claim_tally_kind(
            period_start=_date(point["period_start"]),
            period_end=_date(point["period_end"]),
            conflict_start=conflict.start_date,
            period_kind=point["period_kind"],
        )
        point["tally"] = tally
        point["panel"] = (
            f"{categories[point['category']]} · {affiliation_label(point['side'])}"
            f" · {TALLY_PANELS[tally]}"
        )
        point["panel_rank"] = list(TALLY_PANELS).index(tally)
        point["colour"] = point["claimant"]
    return points


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
