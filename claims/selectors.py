"""Reads. Every public read starts from approved claims: drafts and rejected claims never
leave the admin."""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, NotRequired, TypedDict

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from claims.assessment import claim_with_assessment
from claims.models import (
    Article,
    Battle,
    CacheFallbackCount,
    Claim,
    ClaimWithdrawal,
    Source,
    figure_display,
)


def claim_list_public() -> QuerySet[Claim]:
    """Approved claims with everything a list shows, in one query."""
    return Claim.objects.filter(status=Claim.Status.APPROVED).select_related(
        "claimant", "battle", "article", "article__outlet"
    )


# --- Researcher pages (issue 6) -------------------------------------------------------------
# Each selector below returns everything its page shows in a fixed number of queries, so a
# battle with 100,000 claims costs the same number of round trips as one with ten.

FIGURE_CATEGORIES = (Claim.Category.KILLED, Claim.Category.CASUALTIES)
# A chart of more points than this is unreadable and heavy to ship; the page says so and asks
# for narrower filters instead.
CHART_POINT_LIMIT = 1000
SEARCH_RESULT_LIMIT = 200
CLAIM_SORTS = {
    "date": ("claim_date", "id"),
    "-date": ("-claim_date", "-id"),
    "figure": ("figure_sort", "id"),
    "-figure": ("-figure_sort", "-id"),
    "claimant": ("claimant__name", "-claim_date", "-id"),
    "-claimant": ("-claimant__name", "-claim_date", "-id"),
    "side": ("side", "category", "-claim_date", "-id"),
    "-side": ("-side", "category", "-claim_date", "-id"),
}
DEFAULT_CLAIM_SORT = "-date"


# Lists never need the article's text or its original upload: leave those bytes in the database.
ARTICLE_HEAVY_FIELDS = ("article__body", "article__original_content")


class _BattleStats(TypedDict):
    """What battle_list_summary() adds to each battle besides its latest claim."""

    claim_count: int
    figure_min: int | None
    figure_max: int | None
    latest_date: date | None
    top_id: int | None


def battle_list_summary() -> list[Battle]:
    """Every battle with its number of approved claims, the range of killed / casualties
    figures claimed and its latest approved claim (as `.latest_claim`). Two queries: the
    aggregates, then the claims made on each battle's latest date (a per-battle "newest
    claim" subquery walks the whole claim_date index for a battle with no recent claims)."""
    # Aggregated on the claims alone, grouped by battle id: PostgreSQL reads only the
    # covering index, where grouping a join by every battle column read the whole table.
    figures = Q(category__in=FIGURE_CATEGORIES)
    stats = {
        row["battle_id"]: row
        for row in Claim.objects.filter(status=Claim.Status.APPROVED, battle__isnull=False)
        .order_by()
        .values("battle_id")
        .annotate(
            claim_count=Count("*"),
            figure_min=Min(Coalesce("figure_low", "figure_high"), filter=figures),
            figure_max=Max(Coalesce("figure_high", "figure_low"), filter=figures),
            latest_date=Max("claim_date"),
            top_id=Max("id"),
        )
    }
    battles = list(
        Battle.objects.select_related("conflict").order_by(
            F("conflict__start_date").asc(nulls_last=True),
            "conflict__name",
            F("start_date").asc(nulls_last=True),
            "name",
        )
    )
    empty: _BattleStats = {
        "claim_count": 0,
        "figure_min": None,
        "figure_max": None,
        "latest_date": None,
        "top_id": None,
    }
    latest_dates: dict[int, date] = {}
    # A battle whose claims are all undated: its newest claim is the last one approved.
    latest_ids: dict[int, int] = {}
    for battle in battles:
        row = stats.get(battle.pk, empty)
        for name, value in row.items():
            if name != "battle_id":
                setattr(battle, name, value)
        if row["latest_date"]:
            latest_dates[battle.pk] = row["latest_date"]
        elif row["top_id"] is not None:
            latest_ids[battle.pk] = row["top_id"]
    if latest_dates:
        # Narrow rows first (ids and dates), then only the chosen claims in full.
        candidates = (
            Claim.objects.filter(status=Claim.Status.APPROVED)
            .filter(battle_id__in=latest_dates, claim_date__in=set(latest_dates.values()))
            .values_list("id", "battle_id", "claim_date")
        )
        for claim_id, battle_id, claim_date in candidates:
            if latest_dates[battle_id] == claim_date and claim_id > latest_ids.get(battle_id, -1):
                latest_ids[battle_id] = claim_id
    latest = {
        claim.battle_id: claim
        for claim in claim_list_public()
        .defer(*ARTICLE_HEAVY_FIELDS)
        .filter(id__in=latest_ids.values())
    }
    for battle in battles:
        # Not a model field, as the aggregates above: the list of battles shows it.
        setattr(battle, "latest_claim", latest.get(battle.pk))  # noqa: B010
    return battles


def battle_claim_list(*, battle: Battle) -> QuerySet[Claim]:
    """The approved claims about one battle, ready for the filter set."""
    return claim_list_public().filter(battle=battle).defer(*ARTICLE_HEAVY_FIELDS)


def claim_list_sorted(*, claims: QuerySet[Claim], sort: str) -> QuerySet[Claim]:
    """`claims` in one of CLAIM_SORTS' orders (an unknown key falls back to newest first)."""
    order = CLAIM_SORTS.get(sort, CLAIM_SORTS[DEFAULT_CLAIM_SORT])
    if "figure_sort" in order[0]:
        claims = claims.annotate(figure_sort=Coalesce("figure_low", "figure_high"))
    return claims.order_by(*order)


def claim_list_in_order(*, ids: list[int]) -> list[Claim]:
    """The approved claims with these ids, in this order, with everything a table row shows.
    A page sorts and cuts narrow rows first and joins only the rows it shows: sorting 100,000
    joined rows to keep 50 costs ten times more."""
    claims = claim_with_assessment(claim_list_public().defer(*ARTICLE_HEAVY_FIELDS)).in_bulk(ids)
    return [claims[claim_id] for claim_id in ids if claim_id in claims]


class ChartPoint(TypedDict):
    """One claim on a chart, as the page's script reads it."""

    id: int
    date: str
    date_basis: str
    date_precision: str
    value: int | None
    low: int | None
    high: int | None
    qualifier: str
    hedge: str
    figure: str
    category: str
    side: str
    unit: str
    claimant: str
    affiliation: str
    battle: str
    period_start: str | None
    period_end: str | None
    period_kind: str
    # Set by battle_chart_points() and source_chart_points():
    panel: NotRequired[str]
    panel_rank: NotRequired[int]
    colour: NotRequired[str]
    # Set by conflict_timeline_points(): cumulative, daily or period.
    tally: NotRequired[str]


def claim_chart_points(
    *, claims: QuerySet[Claim], limit: int = CHART_POINT_LIMIT
) -> list[ChartPoint]:
    """The newest `limit` claims as plain values for the chart, placed at their placed date
    (the date the text states, else the article's publication date), in three queries and no
    model objects: the ids of the newest claims with a stated date (narrow rows, which an
    index of the claims' own columns can serve), those of the newest undated claims by their
    article's date, then the chosen claims' values. Joining before cutting made PostgreSQL
    pick plans forty times slower; claims with neither date cannot be placed (see
    claim_unplaced_count)."""
    # A backward scan of a battle's or a claimant's (claim_date, id) index gives the newest.
    stated = list(
        claims.filter(claim_date__isnull=False)
        .order_by(F("claim_date").desc(), F("id").desc())
        .values_list("claim_date", "id")[:limit]
    )
    published = list(
        claims.filter(claim_date__isnull=True, article__published_date__isnull=False)
        .order_by(F("article__published_date").desc(), F("id").desc())
        .values_list("article__published_date", "id")[:limit]
    )
    chosen = sorted([*stated, *published], reverse=True)[:limit]
    rows = Claim.objects.filter(id__in=[claim_id for _, claim_id in chosen]).values(
        "id",
        "claim_date",
        "claim_date_precision",
        "article__published_date",
        "figure_low",
        "figure_high",
        "qualifier",
        "category",
        "side",
        "unit",
        "claimant__name",
        "claimant__affiliation",
        "battle__name",
        "period_start",
        "period_end",
        "period_kind",
    )
    qualifiers = dict(Claim.Qualifier.choices)
    points: list[ChartPoint] = []
    for row in sorted(rows, key=lambda row: row["id"], reverse=True):
        low, high = row["figure_low"], row["figure_high"]
        placed = row["claim_date"] or row["article__published_date"]
        assert placed is not None  # claims with neither date were left out above
        # The mark sits on the figure the claim commits to: the floor of "at least", the
        # ceiling of "up to"; a range is drawn as a bar from low to high.
        value = low if low is not None else high
        points.append(
            {
                "id": row["id"],
                "date": placed.isoformat(),
                "date_basis": Claim.DateBasis.STATED
                if row["claim_date"]
                else Claim.DateBasis.PUBLISHED,
                "date_precision": row["claim_date_precision"] if row["claim_date"] else "day",
                "value": value,
                "low": low,
                "high": high,
                "qualifier": row["qualifier"],
                "hedge": qualifiers.get(row["qualifier"], row["qualifier"]),
                "figure": figure_display(row["qualifier"], low, high),
                "category": row["category"],
                "side": row["side"],
                "unit": row["unit"],
                "claimant": row["claimant__name"] or "The article itself",
                "affiliation": row["claimant__affiliation"] or "unattributed",
                "battle": row["battle__name"] or "Whole war",
                "period_start": _iso(row["period_start"]),
                "period_end": _iso(row["period_end"]),
                "period_kind": row["period_kind"],
            }
        )
    points.sort(key=lambda point: (point["date"], point["id"]), reverse=True)
    return points


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def claim_unplaced_count(*, claims: QuerySet[Claim]) -> int:
    """How many of `claims` have no date to place them at: no stated date and an article
    without a publication date. Charts say so instead of leaving them out silently."""
    return claims.filter(claim_date__isnull=True, article__published_date__isnull=True).count()


AFFILIATION_LABELS = {
    "nato": "NATO",
    "un": "UN",
    "eu": "EU",
    "united_states": "United States",
    "united_kingdom": "United Kingdom",
    "united_nations": "United Nations",
    "rsf": "RSF (Rapid Support Forces)",
    "isis": "ISIS",
}


# Sides seen in the wars we track. Side is an open vocabulary, so choices also offer the
# affiliations of known sources (a small table); listing the distinct sides of a million
# claims would scan the table.
KNOWN_SIDES = [
    "russia",
    "ukraine",
    "north_korea",
    "belarus",
    "soviet_union",
    "israel",
    "palestine",
    "lebanon",
    "syria",
    "iraq",
    "sudan",
    "multiple",
]


def side_choices() -> list[tuple[str, str]]:
    """(slug, label) of the sides editors choose from, by label: 'united_states' reads
    'United States'."""
    affiliations = Source.objects.exclude(affiliation="").values_list("affiliation", flat=True)
    sides = set(KNOWN_SIDES) | set(affiliations)
    return sorted(((side, affiliation_label(side)) for side in sides), key=lambda s: s[1])


def affiliation_label(slug: str | None) -> str:
    """'united_states' -> 'United States', 'nato' -> 'NATO', '' -> '—'. Sides use it too."""
    if not slug:
        return "—"
    return AFFILIATION_LABELS.get(slug, slug.replace("_", " ").title())


def battle_chart_points(*, claims: QuerySet[Claim]) -> list[ChartPoint]:
    """Chart points for a battle: one panel per category and side, coloured by who claims."""
    categories = dict(Claim.Category.choices)
    points = claim_chart_points(claims=claims)
    for point in points:
        point["panel"] = f"{categories[point['category']]} · {affiliation_label(point['side'])}"
        point["colour"] = affiliation_label(point["affiliation"])
    return points


def source_chart_points(*, source: Source, claims: QuerySet[Claim]) -> list[ChartPoint]:
    """Chart points for a claimant: claims about their own side's losses in one panel, each
    other side's in its own, coloured by battle."""
    categories = dict(Claim.Category.choices)
    points = claim_chart_points(claims=claims)
    for point in points:
        side = affiliation_label(point["side"])
        whose = "Own losses" if point["side"] == source.affiliation else "Losses"
        point["panel"] = f"{whose} ({side}) · {categories[point['category']]}"
        point["panel_rank"] = 0 if whose == "Own losses" else 1
        point["colour"] = point["battle"]
    return points


# A battle with dozens of claimants about two sides in six categories has hundreds of
# combinations; the comparison table keeps the most recently active ones.
COMPARISON_LIMIT = 120


def claim_latest_per_claimant(
    *, claims: QuerySet[Claim], limit: int = COMPARISON_LIMIT
) -> list[Claim]:
    """For each claimant, side and category, the claimant's most recent claim (undated
    claims count too: a page listing approved claims never says it has none): the comparison
    table of a battle page, at most `limit` rows (the most recently active)."""
    groups = _claimant_groups(claims=claims)
    ids = _latest_claim_ids(claims=claims, groups=groups, limit=limit)
    if not ids:
        return []
    return list(
        claim_list_public()
        .defer(*ARTICLE_HEAVY_FIELDS)
        .filter(id__in=ids)
        .order_by("category", "side", F("figure_high").desc(nulls_last=True), "claimant__name")
    )


CLAIMANT_GROUP = ("claimant_id", "side", "category")


def _claimant_groups(
    *, claims: QuerySet[Claim], **aggregates: Aggregate | Subquery
) -> list[dict[str, Any]]:
    """One row per claimant, side and category among `claims`: the latest claim_date
    (`last`), the highest id (`top_id`) and any other `aggregates`. One hash aggregate over
    narrow rows, which a covering index can serve."""
    return list(
        claims.order_by()
        .values(*CLAIMANT_GROUP)
        .annotate(last=Max("claim_date"), top_id=Max("id"), **aggregates)
    )


class _PerGroupSubquery(Subquery):
    """A subquery of a grouped query that reads only the grouped columns: left out of the
    GROUP BY, where Django would put it and PostgreSQL then run it once per row, not once
    per group (a thousand times more often for a conflict's war-wide claims)."""

    def get_group_by_cols(self) -> list[Any]:
        return []


def _newest_claim_id(*, claims: QuerySet[Claim]) -> Subquery:
    """For the grouped query of _claimant_groups(): the id of the group's newest claim
    (latest claim_date, then highest id; undated claims last), read from an index in that
    order with one probe per group. The claimant is compared through Coalesce so that the
    claims of no claimant form a group too, as the index keys them."""
    newest_first = (
        claims.alias(claimant_key=Coalesce("claimant", 0))
        .filter(
            claimant_key=Coalesce(OuterRef("claimant_id"), 0),
            side=OuterRef("side"),
            category=OuterRef("category"),
        )
        .order_by(F("claim_date").desc(nulls_last=True), F("id").desc())
        .values("id")[:1]
    )
    return _PerGroupSubquery(newest_first)


def _most_recent_per_group(
    *, groups: list[dict[str, Any]], limit: int | None
) -> list[dict[str, Any]]:
    """Of `groups` (from _claimant_groups), the `limit` most recently active claimants of
    each category and side (all of them without a limit): latest claim_date, then highest
    id, claimants with no dated claim last."""
    if limit is None:
        return groups
    kept: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for group in sorted(
        groups,
        key=lambda g: (g["last"] is not None, g["last"] or date.min, g["top_id"]),
        reverse=True,
    ):
        same = kept.setdefault((group["category"], group["side"]), [])
        if len(same) < limit:
            same.append(group)
    return [group for same in kept.values() for group in same]


def _latest_claim_ids(
    *,
    claims: QuerySet[Claim],
    groups: list[dict[str, Any]],
    limit: int | None = None,
) -> list[int]:
    """Per claimant, side and category (`groups`, from _claimant_groups), the id of the
    newest claim: latest claim_date, then highest id (a group with no dated claim: its
    highest id). The `limit` most recently active groups only, when
    given. One more grouped query, over the claims made on the groups' latest dates; a
    window function or DISTINCT ON would sort every claim of a battle instead (several
    times slower at 40,000 claims)."""
    # Most recently active first; the caller's list is left as it was.
    groups = sorted(
        groups,
        key=lambda g: (g["last"] is not None, g["last"] or date.min, g["top_id"]),
        reverse=True,
    )[:limit]
    latest_date = {tuple(g[name] for name in CLAIMANT_GROUP): g["last"] for g in groups}
    chosen = {
        tuple(g[name] for name in CLAIMANT_GROUP): g["top_id"] for g in groups if g["last"] is None
    }
    dates = {day for day in latest_date.values() if day is not None}
    if dates:
        on_those_dates = (
            claims.order_by()
            .filter(claim_date__in=dates)
            .values(*CLAIMANT_GROUP, "claim_date")
            .annotate(top_id=Max("id"))
        )
        for row in on_those_dates:
            key = tuple(row[name] for name in CLAIMANT_GROUP)
            if latest_date.get(key) == row["claim_date"]:
                chosen[key] = row["top_id"]
    return list(chosen.values())


class FilterChoices(TypedDict):
    sides: list[str]
    claimants: list[Source]


def battle_filter_choices(*, battle: Battle) -> FilterChoices:
    """The sides and claimants that occur in a battle's approved claims, for its filter form."""
    claims = battle_claim_list(battle=battle)
    sides = sorted(set(claims.order_by().values_list("side", flat=True).distinct()))
    # EXISTS probes each source's claims through the claimant index and stops at the first;
    # a join with DISTINCT would read every claim of the battle.
    claimants = list(
        Source.objects.filter(
            Exists(
                Claim.objects.filter(
                    claimant=OuterRef("pk"), battle=battle, status=Claim.Status.APPROVED
                )
            )
        ).order_by("name")
    )
    return {"sides": sides, "claimants": claimants}


def claim_get_public(*, claim_id: int, include_unreviewed: bool = False) -> Claim | None:
    """One claim with everything its page shows; drafts and rejected claims only when the
    caller may review them."""
    claims = (
        Claim.objects.select_related(
            "claimant",
            "battle",
            "battle__conflict",
            "conflict",
            "article",
            "article__outlet",
            "part_of",
            "part_of__claimant",
        )
        .prefetch_related(
            Prefetch(
                "reported_by",
                queryset=Article.objects.select_related("outlet").order_by("published_date"),
            ),
            Prefetch(
                "parts",
                queryset=claim_list_public().order_by("category", "id"),
                to_attr="public_parts",
            ),
        )
        .filter(pk=claim_id)
    )
    if not include_unreviewed:
        claims = claims.filter(status=Claim.Status.APPROVED)
    return claims.first()


class HistoryEvent(TypedDict):
    date: datetime
    what: str


def claim_public_history(*, claim: Claim) -> list[HistoryEvent]:
    """When the claim was approved and when an approved version was corrected, from its
    history: dates only, never who reviewed it or the review notes. One query."""
    events: list[HistoryEvent] = []
    previous = None
    shown_fields = (
        "figure_low",
        "figure_high",
        "qualifier",
        "category",
        "side",
        "unit",
        "claim_date",
        "claimant_id",
        "battle_id",
        "period_start",
        "period_end",
        "period_kind",
        "excerpt",
    )
    for record in claim.history.order_by("history_date", "history_id").iterator():
        approved = record.status == Claim.Status.APPROVED
        was_approved = previous is not None and previous.status == Claim.Status.APPROVED
        if approved and not was_approved:
            events.append({"date": record.history_date, "what": "Approved"})
        elif approved and was_approved:
            changed = [f for f in shown_fields if getattr(record, f) != getattr(previous, f)]
            if changed:
                events.append({"date": record.history_date, "what": "Corrected"})
        previous = record
    return events


def source_claim_list(*, source: Source) -> QuerySet[Claim]:
    """A claimant's approved claims across battles, newest first, as a battle page lists
    them (read off the claimant's index backwards)."""
    return (
        claim_list_public()
        .filter(claimant=source)
        .defer(*ARTICLE_HEAVY_FIELDS)
        .order_by(*CLAIM_SORTS[DEFAULT_CLAIM_SORT])
    )


def article_list_public() -> QuerySet[Article]:
    """Articles the public may read: those carrying or reporting at least one approved claim.
    An upload nobody has reviewed yet stays in the admin."""
    carrying = Claim.objects.filter(status=Claim.Status.APPROVED, article=OuterRef("pk"))
    reporting = Claim.objects.filter(status=Claim.Status.APPROVED, reported_by=OuterRef("pk"))
    return (
        Article.objects.select_related("outlet")
        .defer("original_content")
        .filter(Exists(carrying) | Exists(reporting))
        .order_by(F("published_date").desc(nulls_last=True), "-id")
    )


def article_get_public(*, article_id: int) -> Article | None:
    """One public article with its approved claims (as `.public_claims`, in text order)."""
    return (
        article_list_public()
        .prefetch_related(
            Prefetch(
                "claims",
                queryset=claim_list_public().order_by("start_offset", "id"),
                to_attr="public_claims",
            ),
            Prefetch(
                "reported_claims",
                queryset=claim_list_public().order_by("-claim_date", "id"),
                to_attr="public_reported_claims",
            ),
        )
        .filter(pk=article_id)
        .first()
    )


class SearchResults(TypedDict):
    claims: list[Claim]
    articles: list[Article]
    claims_truncated: bool
    articles_truncated: bool


def claim_search_parts(*, claims: QuerySet[Claim], query: str) -> list[QuerySet[Claim]]:
    """What a claim search finds, the one definition for the search page and the `q` filter of
    the API and battle pages: the claims of `claims` whose excerpt matches `query`
    (PostgreSQL full-text search, a plain substring match elsewhere), those of each battle
    and those of each claimant whose name or alias contains it. One queryset per way to match,
    so that each can use its own index; claim_search combines them."""
    # PostgreSQL text cannot hold NUL; such a character can't match anything anyway.
    query = query.replace("\x00", "").strip()
    if not query:
        return []
    # Claimants and battles are small tables: their names are matched first, so that on
    # PostgreSQL the text search touches only the claim's own excerpt (which an expression
    # index on to_tsvector('english', excerpt) can serve).
    names = Q(name__icontains=query) | Q(aliases__icontains=query)
    claimant_ids = list(Source.objects.filter(names).values_list("id", flat=True))
    battle_ids = list(Battle.objects.filter(names).values_list("id", flat=True))
    by_text: QuerySet[Claim]
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        search = SearchQuery(query, search_type="websearch", config="english")
        by_text = claims.annotate(excerpt_search=SearchVector("excerpt", config="english")).filter(
            excerpt_search=search
        )
    else:
        by_text = claims.filter(excerpt__icontains=query)
    # One part per matching battle and claimant too (a few small tables' worth): asked for
    # several battles at once, PostgreSQL walked every claim by date to find theirs.
    return [
        by_text,
        *(claims.filter(battle_id=battle_id) for battle_id in battle_ids),
        *(claims.filter(claimant_id=claimant_id) for claimant_id in claimant_ids),
    ]


def claim_search(*, claims: QuerySet[Claim], query: str) -> QuerySet[Claim]:
    """Every claim of `claims` that the site search finds for `query` (claim_search_parts);
    all of `claims` when the query is blank."""
    parts = claim_search_parts(claims=claims, query=query)
    if not parts:
        return claims
    matches = Q()
    for part in parts:
        matches |= Q(id__in=part.values("id"))
    return claims.filter(matches)


def search_everything(*, query: str) -> SearchResults:
    """Approved claims (excerpt, claimant, battle) and public articles (title, text) that match
    `query`: PostgreSQL full-text search, a plain substring match elsewhere. Claims come
    grouped by battle (newest first within each) so a template can show them so."""
    # PostgreSQL text cannot hold NUL; such a character can't match anything anyway.
    query = query.replace("\x00", "").strip()
    if not query:
        return {
            "claims": [],
            "articles": [],
            "claims_truncated": False,
            "articles_truncated": False,
        }
    claims = claim_list_public().select_related("battle__conflict").defer(*ARTICLE_HEAVY_FIELDS)
    articles = article_list_public()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector
        from django.db.models.functions import Left

        search = SearchQuery(query, search_type="websearch", config="english")
        # A tsvector holds at most 1 MB: a very long article would make the whole search
        # fail, so only its opening is searched.
        articles = articles.annotate(
            text_search=SearchVector("title", Left("body", 100_000), config="english")
        ).filter(text_search=search)
    else:
        articles = articles.filter(Q(title__icontains=query) | Q(body__icontains=query))
    # The newest matches by text, by battle and by claimant, asked apart and merged here:
    # asked as one (text OR battle OR claimant) PostgreSQL could use none of the indexes,
    # and read every claim in date order until it had found enough.
    parts = claim_search_parts(claims=claims, query=query)
    # Each part's newest ids from narrow rows, then only those claims joined: sorting the
    # joined claims of several battles took PostgreSQL seconds at a million claims.
    newest = (F("claim_date").desc(nulls_first=True), F("id").desc())
    found_ids: set[int] = set()
    for part in parts:
        ids = part.order_by(*newest).values_list("id", flat=True)[: SEARCH_RESULT_LIMIT + 1]
        found_ids.update(ids)
    found = claims.filter(id__in=found_ids)
    claim_rows = sorted(found, key=_newest_first)[: SEARCH_RESULT_LIMIT + 1]
    # Shown grouped by battle, newest first within each.
    shown = sorted(claim_rows[:SEARCH_RESULT_LIMIT], key=_by_battle)
    article_rows = list(
        articles.defer("body").order_by("-published_date", "-id")[: SEARCH_RESULT_LIMIT + 1]
    )
    return {
        "claims": shown,
        "articles": article_rows[:SEARCH_RESULT_LIMIT],
        "claims_truncated": len(claim_rows) > SEARCH_RESULT_LIMIT,
        "articles_truncated": len(article_rows) > SEARCH_RESULT_LIMIT,
    }


def _newest_first(claim: Claim) -> tuple[bool, int, int]:
    """Sort key: undated claims first, then by date and id, newest first (as the query's
    DESC NULLS FIRST)."""
    return (claim.claim_date is not None, -(claim.claim_date or date.min).toordinal(), -claim.pk)


def _by_battle(claim: Claim) -> tuple[bool, str, str, bool, int, int]:
    """Sort key: by conflict and battle (claims without a battle last), newest first."""
    battle = claim.battle
    return (
        battle is None,
        battle.conflict.name if battle else "",
        battle.name if battle else "",
        *_newest_first(claim),
    )


# --- Public REST API (issue 5) --------------------------------------------------------------
# The API lists read the same approved claims as the pages, without the heavy text columns
# nobody asked for, and with the related rows each item shows, in a fixed number of queries.

CLAIM_HEAVY_FIELDS = ("extracted_values", "extraction_notes", "review_note")
# Only the columns the API shows: at a page of 500 claims, turning unused timestamps and
# texts into Python objects costs more than the query itself.
ARTICLE_REF_FIELDS = ("id", "title", "url", "published_date", "outlet__slug", "outlet__name")
CLAIM_BRIEF_FIELDS = (
    "id",
    "figure_low",
    "figure_high",
    "qualifier",
    "category",
    "side",
    "unit",
    "claim_date",
    "claim_date_precision",
    "period_start",
    "period_end",
    "period_kind",
    "claimant__slug",
    "claimant__name",
    "claimant__kind",
    "claimant__affiliation",
    *(f"article__{name}" for name in ARTICLE_REF_FIELDS),
)
CLAIM_API_FIELDS = (
    *CLAIM_BRIEF_FIELDS,
    "basis",
    "excerpt",
    "part_of_id",
    "updated_at",
)


def claim_list_api() -> QuerySet[Claim]:
    """Approved claims for the API: claimant, battle, article and outlet joined and the other
    articles reporting each claim prefetched. Rows to be shown also need
    claim_with_public_parent(), applied after counting so the count needs no join."""
    return (
        claim_list_public()
        .select_related("conflict")
        .only(*CLAIM_API_FIELDS, "battle__slug", "battle__name", "conflict__slug", "conflict__name")
        .prefetch_related(claim_reports_prefetch())
    )


def claim_reports_prefetch() -> "Prefetch[str, QuerySet[Article], str]":
    """The other articles reporting each claim, as the API shows them."""
    return Prefetch(
        "reported_by", queryset=Article.objects.select_related("outlet").only(*ARTICLE_REF_FIELDS)
    )


def claim_with_public_parent(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Adds the parent's id only when the parent is approved too: a draft parent must not be
    revealed, not even by its id."""
    return claims.annotate(parent_public_id=_parent_public_id())


def _parent_public_id() -> Subquery:
    # A subquery, not a join: joining the parents made PostgreSQL hash the whole claims table
    # to export one battle's claims, where a primary-key lookup per child with a parent is cheap.
    parent = Claim.objects.filter(pk=OuterRef("part_of_id"), status=Claim.Status.APPROVED)
    return Subquery(parent.order_by().values("pk")[:1])


class Freshness(TypedDict):
    count: int
    # The list holds more than count_limit claims; `count` is that limit.
    count_is_capped: bool
    last_modified: datetime | None


# What a claim's row shows besides its own columns: a rename of its claimant, battle,
# article or outlet changes the row although the claim itself did not change.
CLAIM_RELATED_MODELS = (Source, Battle, Article)
# The API list counts at most this many claims, and says when it stopped there: counting
# all of a million took PostgreSQL longer than the rest of the request (issue 18).
CLAIM_COUNT_LIMIT = 10_000


def claim_list_freshness(*, claims: QuerySet[Claim], count_limit: int | None = None) -> Freshness:
    """How many claims a list holds and when it last changed, in one query: the page count
    and the ETag / Last-Modified of the list both come from it. "Changed" counts the claims
    and every source, battle and article (the newest of each read off its updated_at index):
    a rename shows in the list's rows, so it must change its validators too.

    With `count_limit`, at most that many claims and one more are read: past it the count
    is capped at the limit, and since the claims read are not the newest, the newest change
    of any public claim and the newest withdrawal stand in for the list's (one more query,
    off their indexes): the validators still change whenever the list may have."""
    newest_related = {
        f"{model._meta.model_name}_changed": Max(
            Subquery(model.objects.order_by("-updated_at").values("updated_at")[:1])
        )
        for model in CLAIM_RELATED_MODELS
    }
    rows = claims.order_by()
    if count_limit is not None:
        rows = rows[: count_limit + 1]  # aggregated over a subquery with this LIMIT
    values = rows.aggregate(count=Count("id"), last_modified=Max("updated_at"), **newest_related)
    count_is_capped = count_limit is not None and values["count"] > count_limit
    if count_is_capped:
        values["count"] = count_limit
        values["last_modified"] = _newest_public_change()
    # A list with no claims shows no related rows either.
    changed = [values["last_modified"]] + [values[name] for name in newest_related]
    last_modified = max((when for when in changed if when is not None), default=None)
    return {
        "count": values["count"],
        "count_is_capped": count_is_capped,
        "last_modified": last_modified if values["count"] else None,
    }


def _newest_public_change() -> datetime | None:
    """When an approved claim last changed or a claim was last withdrawn: the newest
    approved claim, with the newest withdrawal beside it (a capped list has claims)."""
    newest_withdrawal = ClaimWithdrawal.objects.order_by("-withdrawn_at").values("withdrawn_at")
    newest = (
        Claim.objects.filter(status=Claim.Status.APPROVED)
        .order_by("-updated_at")
        .annotate(withdrawn=Subquery(newest_withdrawal[:1]))
        .values_list("updated_at", "withdrawn")
        .first()
    )
    return max((when for when in newest or () if when is not None), default=None)


# Column name -> the value it is read from, for CSV exports.
CLAIM_EXPORT_FIELDS = {
    "id": "id",
    "figure_low": "figure_low",
    "figure_high": "figure_high",
    "qualifier": "qualifier",
    "category": "category",
    "side": "side",
    "unit": "unit",
    "basis": "basis",
    "claimant_slug": "claimant__slug",
    "claimant_name": "claimant__name",
    "claimant_kind": "claimant__kind",
    "claimant_affiliation": "claimant__affiliation",
    "battle_slug": "battle__slug",
    "battle_name": "battle__name",
    "conflict_slug": "conflict__slug",
    "claim_date": "claim_date",
    "claim_date_precision": "claim_date_precision",
    "period_start": "period_start",
    "period_end": "period_end",
    "period_kind": "period_kind",
    "excerpt": "excerpt",
    "article_id": "article_id",
    "article_title": "article__title",
    "article_url": "article__url",
    "article_outlet": "article__outlet__name",
    "article_published": "article__published_date",
    "parent": "parent_public_id",
    "updated_at": "updated_at",
}
CLAIM_EXPORT_COLUMNS = [*CLAIM_EXPORT_FIELDS, "reports"]


# A CSV row: values of various types, in CLAIM_EXPORT_COLUMNS order.
ExportRow = tuple[Any, ...]


def claim_export_chunks(
    *, claims: QuerySet[Claim], chunk_size: int = 2000
) -> Iterator[list[ExportRow]]:
    """Yields `claims` as lists of up to `chunk_size` plain tuples in CLAIM_EXPORT_COLUMNS
    order, read from a server-side cursor: a million rows never sit in memory together. Each
    chunk costs one more query, for the articles reporting its claims (ids, space-separated)."""
    rows = (
        claim_with_public_parent(claims)
        .values_list(*CLAIM_EXPORT_FIELDS.values())
        .iterator(chunk_size=chunk_size)
    )
    chunk: list[ExportRow] = []
    for values in rows:
        chunk.append(values)
        if len(chunk) >= chunk_size:
            yield _with_reports(chunk)
            chunk = []
    if chunk:
        yield _with_reports(chunk)


def _with_reports(rows: list[ExportRow]) -> list[ExportRow]:
    through = Claim.reported_by.through
    reports: dict[int, list[str]] = {}
    links = through.objects.filter(claim_id__in=[row[0] for row in rows]).order_by(
        "claim_id", "article_id"
    )
    for claim_id, article_id in links.values_list("claim_id", "article_id"):
        reports.setdefault(claim_id, []).append(str(article_id))
    return [(*row, " ".join(reports.get(row[0], ()))) for row in rows]


def approved_claims_count(field: str) -> Coalesce:
    """For an annotation: the approved claims whose `field` points at the outer row, counted
    per row through an index. Count("claims") would join and group every claim by every
    column of the outer table: at a million claims, ten times slower."""
    claims = (
        Claim.objects.filter(status=Claim.Status.APPROVED, **{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(claims), 0)


def battle_list_public() -> QuerySet[Battle]:
    """Every battle (battles are reference data, all public) with its approved claims' count."""
    return (
        Battle.objects.select_related("conflict")
        .annotate(claims_count=approved_claims_count("battle"))
        .order_by("conflict__name", F("start_date").asc(nulls_last=True), "name")
    )


class ClaimantLatest(TypedDict):
    claimant: Source | None
    latest_claim: Claim


class SummaryGroup(TypedDict):
    category: str
    side: str
    claims_count: int
    # How many claimants made these claims; `claimants` may hold only the most recent of them.
    claimants_count: int
    figure_min: int | None
    figure_max: int | None
    latest_claim: Claim | None
    claimants: list[ClaimantLatest]


class BattleSummary(TypedDict):
    battle: Battle
    claims_count: int
    groups: list[SummaryGroup]


def battle_summary(*, battle: Battle) -> BattleSummary:
    """What a researcher tabulates by hand about a battle: per category and side, how many
    approved claims, the lowest and highest figures claimed, the latest claim, and each
    claimant's latest claim. Three queries whatever the number of claims: the groups per
    claimant (rolled up here per category and side), the ids of their latest claims, and
    those claims."""
    claims = Claim.objects.filter(status=Claim.Status.APPROVED, battle=battle)
    summary = claims_summary(claims=claims)
    return {"battle": battle, **summary}


class ClaimsSummary(TypedDict):
    claims_count: int
    groups: list[SummaryGroup]


def claims_summary(
    *,
    claims: QuerySet[Claim],
    claimants_per_group: int | None = None,
    newest_by_index: bool = False,
) -> ClaimsSummary:
    """The summary of a battle page for any set of approved `claims` (a battle's, or a
    conflict's war-wide ones): per category and side, the count, the lowest and highest
    figures and each claimant's latest claim (of the `claimants_per_group` most recently
    active claimants only, when given). Three queries, or two with `newest_by_index`: pass it
    when an index orders `claims` per claimant, side and category newest first (as
    claim_war_wide_newest does a conflict's war-wide claims), so that the grouped query
    reads each group's newest claim with one probe of that index."""
    aggregates: dict[str, Aggregate | Subquery] = {
        "claims_count": Count("id"),
        "figure_min": Min(Coalesce("figure_low", "figure_high")),
        "figure_max": Max(Coalesce("figure_high", "figure_low")),
    }
    if newest_by_index:
        aggregates["newest_id"] = _newest_claim_id(claims=claims)
    per_claimant = _claimant_groups(claims=claims, **aggregates)
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for row in per_claimant:
        total = totals.setdefault(
            (row["category"], row["side"]),
            {
                "category": row["category"],
                "side": row["side"],
                "claims_count": 0,
                "claimants_count": 0,
                "figure_min": None,
                "figure_max": None,
            },
        )
        total["claims_count"] += row["claims_count"]
        total["claimants_count"] += 1
        total["figure_min"] = _lowest(total["figure_min"], row["figure_min"])
        total["figure_max"] = _highest(total["figure_max"], row["figure_max"])
    rows = [totals[key] for key in sorted(totals)]
    shown = _most_recent_per_group(groups=per_claimant, limit=claimants_per_group)
    if newest_by_index:
        latest_ids = [group["newest_id"] for group in shown]
    else:
        latest_ids = _latest_claim_ids(claims=claims, groups=shown)
    latest = list(
        Claim.objects.select_related("claimant", "article", "article__outlet")
        .only(*CLAIM_BRIEF_FIELDS)
        .filter(id__in=latest_ids)
        .order_by("category", "side", "claimant__name", "id")
    )
    by_group: dict[tuple[str, str], list[Claim]] = {}
    for claim in latest:
        by_group.setdefault((claim.category, claim.side), []).append(claim)

    def recency(claim: Claim) -> tuple[bool, date | None, int]:
        return (claim.claim_date is not None, claim.claim_date, claim.id)

    groups: list[SummaryGroup] = []
    for row in rows:
        group_claims = by_group.get((row["category"], row["side"]), [])
        groups.append(
            {
                "category": row["category"],
                "side": row["side"],
                "claims_count": row["claims_count"],
                "claimants_count": row["claimants_count"],
                "figure_min": row["figure_min"],
                "figure_max": row["figure_max"],
                "latest_claim": max(group_claims, key=recency, default=None),
                "claimants": [
                    {"claimant": claim.claimant, "latest_claim": claim} for claim in group_claims
                ],
            }
        )
    return {
        "claims_count": sum(group["claims_count"] for group in groups),
        "groups": groups,
    }


def _lowest(a: int | None, b: int | None) -> int | None:
    return min((x for x in (a, b) if x is not None), default=None)


def _highest(a: int | None, b: int | None) -> int | None:
    return max((x for x in (a, b) if x is not None), default=None)


def source_list_visible() -> QuerySet[Source]:
    """The one rule for which sources the public may see, on pages, in the API and in the
    filters alike: claimants of approved claims and outlets of public articles. A name the
    extractor picked up from a draft or an unreviewed upload alone stays private until an
    editor approves one of its claims."""
    approved_claims = Claim.objects.filter(status=Claim.Status.APPROVED, claimant=OuterRef("pk"))
    outlet_of = article_list_public().filter(outlet=OuterRef("pk"))
    return Source.objects.filter(Exists(approved_claims) | Exists(outlet_of)).order_by("name")


def source_list_public() -> QuerySet[Source]:
    """The public sources with their approved claims' count."""
    return source_list_visible().annotate(claims_count=approved_claims_count("claimant"))


def article_list_api() -> QuerySet[Article]:
    """Public articles with their approved claims' count, without the text (lists)."""
    return article_list_public().annotate(claims_count=approved_claims_count("article"))


def cache_fallback_list() -> QuerySet[CacheFallbackCount]:
    """Every process's calls answered without the shared cache, by purpose."""
    return CacheFallbackCount.objects.all()
