"""Fast generator of realistic approved claims for demos and benchmarks.

Rows are written in bulk (COPY on PostgreSQL, bulk_create elsewhere) and skip the audit
history: this is synthetic data, not an editor's work.
"""

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.db import connection, transaction
from django.utils import timezone

from claims.models import Article, Battle, Claim, Conflict, DatePrecision, Source
from claims.public_cache import public_data_changed
from claims.services import claim_conflict_for

SIDES_BY_CONFLICT = {
    "Russo-Ukrainian War": ["russia", "ukraine", "north_korea"],
    "Syrian civil war": ["syria", "syrian_rebels", "isis"],
    "Gaza war (2023-)": ["palestine", "israel"],
    "Sudanese civil war (2023-)": ["sudan", "rsf"],
    "War in Iraq (2013-2017)": ["isis", "iraq"],
}
DEFAULT_SIDES = ["russia", "ukraine"]
CATEGORY_WEIGHTS = {
    Claim.Category.KILLED: 40,
    Claim.Category.CASUALTIES: 25,
    Claim.Category.WOUNDED: 15,
    Claim.Category.CAPTURED: 8,
    Claim.Category.MISSING: 4,
    Claim.Category.EQUIPMENT: 8,
}
QUALIFIER_WEIGHTS = {
    Claim.Qualifier.EXACT: 35,
    Claim.Qualifier.APPROX: 30,
    Claim.Qualifier.AT_LEAST: 20,
    Claim.Qualifier.AT_MOST: 8,
    Claim.Qualifier.RANGE: 7,
}
WORDING = {
    Claim.Qualifier.EXACT: "{low}",
    Claim.Qualifier.APPROX: "about {low}",
    Claim.Qualifier.AT_LEAST: "more than {low}",
    Claim.Qualifier.AT_MOST: "up to {high}",
    Claim.Qualifier.RANGE: "between {low} and {high}",
}
EQUIPMENT = ["tanks", "armoured vehicles", "artillery systems", "drones", "aircraft"]
CLAIMS_PER_ARTICLE = 25
CLAIM_COLUMNS = [
    "created_at",
    "updated_at",
    "article_id",
    "claimant_id",
    "battle_id",
    "conflict_id",
    "side",
    "unit",
    "category",
    "qualifier",
    "figure_low",
    "figure_high",
    "claim_date",
    "claim_date_precision",
    "excerpt",
    "start_offset",
    "end_offset",
    "basis",
    "confidence",
    "extraction_notes",
    "extractor_version",
    "extracted_values",
    "status",
    "review_note",
]


@dataclass(frozen=True)
class DemoDataResult:
    articles: int
    claims: int


K = TypeVar("K")


def _weighted(rng: random.Random, weights: dict[K, int]) -> K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_data_generate(*, claims: int, seed: int = 0, status: str = "approved") -> DemoDataResult:
    """Adds `claims` synthetic claims (and their articles) over the battles and sources in
    the database. Run load_reference first so there is something to spread them over."""
    rng = random.Random(seed)
    battles = list(Battle.objects.select_related("conflict"))
    conflicts = list(Conflict.objects.all())
    sources = list(Source.objects.exclude(kind=Source.Kind.MEDIA)) or [
        Source.objects.create(name="Demo spokesperson", slug="demo-spokesperson")
    ]
    outlets: list[Source | None] = list(Source.objects.filter(kind=Source.Kind.MEDIA)) or [None]
    article_count = max(1, -(-claims // CLAIMS_PER_ARTICLE))
    run_tag = f"{seed}-{timezone.now().timestamp()}"
    now = timezone.now()

    with transaction.atomic():
        articles = Article.objects.bulk_create(
            (
                Article(
                    title=f"Synthetic report {i + 1} ({run_tag})",
                    outlet=rng.choice(outlets),
                    published_date=date(2022, 3, 1) + timedelta(days=rng.randrange(1300)),
                    body=f"Synthetic report {i + 1} generated for benchmarks ({run_tag}).",
                    original_content=b"",
                    original_content_type="text/plain",
                    content_hash=hashlib.sha256(f"{run_tag}:{i}".encode()).hexdigest(),
                    status=Article.Status.PARSED,
                    parsed_at=now,
                )
                for i in range(article_count)
            ),
            batch_size=5000,
        )
        rows = _claim_rows(
            rng=rng,
            count=claims,
            articles=articles,
            battles=battles,
            conflicts=conflicts,
            sources=sources,
            status=status,
            now=now,
        )
        if connection.vendor == "postgresql":
            _copy_rows(rows)
        else:
            _bulk_create_rows(rows)
    public_data_changed()  # bulk writes send no post_save
    return DemoDataResult(articles=article_count, claims=claims)


def _claim_rows(
    *,
    rng: random.Random,
    count: int,
    articles: list[Article],
    battles: list[Battle],
    conflicts: list[Conflict],
    sources: list[Source],
    status: str,
    now,
) -> Iterator[tuple]:
    for i in range(count):
        article = articles[i // CLAIMS_PER_ARTICLE]
        battle = rng.choice(battles) if battles and rng.random() < 0.85 else None
        sides = (
            SIDES_BY_CONFLICT.get(battle.conflict.name, DEFAULT_SIDES) if battle else DEFAULT_SIDES
        )
        side = rng.choice(sides)
        conflict = claim_conflict_for(battle=battle, side=side, conflicts=conflicts)
        category = _weighted(rng, CATEGORY_WEIGHTS)
        qualifier = _weighted(rng, QUALIFIER_WEIGHTS)
        figure = int(10 ** rng.uniform(1, 5.3))
        low: int | None = figure
        high: int | None = figure
        if qualifier == Claim.Qualifier.AT_LEAST:
            high = None
        elif qualifier == Claim.Qualifier.AT_MOST:
            low = None
        elif qualifier == Claim.Qualifier.RANGE:
            high = figure * rng.choice([2, 3, 4])
        start = battle.start_date if battle and battle.start_date else date(2022, 2, 24)
        end = battle.end_date if battle and battle.end_date else date(2025, 12, 31)
        claim_date = start + timedelta(days=rng.randrange(max(1, (end - start).days + 1)))
        unit = rng.choice(EQUIPMENT) if category == Claim.Category.EQUIPMENT else ""
        claimant = rng.choice(sources)
        wording = WORDING[qualifier].format(
            low=f"{low:,}" if low else "", high=f"{high:,}" if high else ""
        )
        what = unit or f"{side.replace('_', ' ').title()} troops"
        excerpt = f"{claimant.name} said {wording} {what} were {category} (synthetic)."
        offset = len(claimant.name) + 6
        yield (
            now,
            now,
            article.pk,
            claimant.pk,
            battle.pk if battle else None,
            conflict.pk if conflict else None,
            side,
            unit,
            category,
            qualifier,
            low,
            high,
            claim_date,
            DatePrecision.DAY,
            excerpt,
            offset,
            offset + len(wording),
            Claim.Basis.UNKNOWN,
            round(rng.uniform(0.3, 1.0), 2),
            "synthetic",
            "demo",
            "{}",
            status,
            "",
        )


def _copy_rows(rows: Iterator[tuple]) -> None:
    # COPY is an order of magnitude faster than INSERT for a million rows.
    columns = ", ".join(CLAIM_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY claims_claim ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _bulk_create_rows(rows: Iterator[tuple]) -> None:
    batch: list[Claim] = []
    for row in rows:
        values = dict(zip(CLAIM_COLUMNS, row, strict=True))
        values["extracted_values"] = {}
        batch.append(Claim(**values))
        if len(batch) >= 5000:
            Claim.objects.bulk_create(batch)
            batch.clear()
    Claim.objects.bulk_create(batch)
