"""Numbered, immutable releases of the public data (issue 15, parts 2 and 3).

`release_publish()` (`manage.py dataset_release`) writes every approved claim, and the battles,
sources and articles they refer to, into a folder of its own as a Frictionless Data Package:
`datapackage.json` (a Table Schema per table, the licence, the sources), each table as CSV
(the API's CSV writer for claims) and Parquet, `CITATION.cff` and `SHA256SUMS`. The folder is
written under a temporary name and renamed when complete, its files are made read-only, and a
number is never reused: a published release does not change.

The Table Schemas below are the one description of the columns: the codebook page is
generated from them, and tests hold them equal to the CSV columns and the API's fields.
"""

import csv
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from claims import selectors
from claims.dataset import DATA_ATTRIBUTION, DATA_LICENCE
from claims.exports import claims_csv
from claims.models import Battle, Claim, DatasetRelease, DatePrecision, Source

TITLE = "claimsite: casualty claims in war reporting"
DESCRIPTION = (
    "Every approved casualty claim made in war reporting: the figure or range and its "
    "hedging, what it counts, whose losses, who said it and when, about which battle, the "
    "exact wording and the article it was published in; with the battles, sources and "
    "articles they refer to. Claims are extracted from articles and reviewed by editors."
)


class ReleaseError(Exception):
    """A release could not be written; the message says why."""


@dataclass(frozen=True)
class Column:
    """One column of a released table, as its Table Schema field says it."""

    name: str
    type: str  # a Table Schema type: integer, string, date, datetime
    description: str
    enum: tuple[str, ...] = ()

    def table_schema_field(self) -> dict[str, Any]:
        field: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.enum:
            field["constraints"] = {"enum": list(self.enum)}
        return field


def _values(choices: Iterable[str]) -> tuple[str, ...]:
    return tuple(choices)


# The claims table: the API's CSV columns (selectors.CLAIM_EXPORT_COLUMNS), in its order.
CLAIM_COLUMNS = [
    Column("id", "integer", "The claim's id; /claims/<id>/ on the site."),
    Column("figure_low", "integer", "The low end of the figure; empty for 'up to' figures."),
    Column("figure_high", "integer", "The high end of the figure; empty for 'at least' figures."),
    Column(
        "qualifier",
        "string",
        "How the figure is hedged: exact, approx (about), at_least, at_most (up to), range.",
        _values(Claim.Qualifier.values),
    ),
    Column(
        "category",
        "string",
        "What is counted: killed, wounded, casualties (killed and wounded), captured, "
        "missing, equipment.",
        _values(Claim.Category.values),
    ),
    Column("side", "string", "Whose losses, as a lower-case slug: russia, ukraine, ..."),
    Column("unit", "string", "A sub-group (a unit, civilians) or the kind of equipment."),
    Column(
        "basis",
        "string",
        "What the figure rests on: official, intelligence, confirmed (a named count, a "
        "floor), statistical, visual (visually confirmed), unknown.",
        _values(Claim.Basis.values),
    ),
    Column("claimant_slug", "string", "Who made the claim (sources table); empty: the article."),
    Column("claimant_name", "string", "The claimant's name."),
    Column("claimant_kind", "string", "What the claimant is.", _values(Source.Kind.values)),
    Column("claimant_affiliation", "string", "The claimant's side, as a slug."),
    Column("battle_slug", "string", "The battle (battles table); empty: a whole war or front."),
    Column("battle_name", "string", "The battle's name."),
    Column("conflict_slug", "string", "The war it belongs to; /conflicts/<slug>/ on the site."),
    Column("claim_date", "date", "When the claim was made, as the text states it."),
    Column(
        "claim_date_precision",
        "string",
        "How much of claim_date the text states: day, month or year.",
        _values(DatePrecision.values),
    ),
    Column("period_start", "date", "The start of the period the figure covers, when stated."),
    Column("period_end", "date", "The end of the period the figure covers, when stated."),
    Column(
        "period_kind",
        "string",
        "What kind of tally the figure is, as the text states it: daily (a day or 24 hours), "
        "cumulative (a running total since the war's or the battle's start), period (another "
        "stated period); empty: not stated.",
        _values(Claim.PeriodKind.values),
    ),
    Column("excerpt", "string", "The sentence that states the figure (a quotation)."),
    Column("article_id", "integer", "The article it was published in (articles table)."),
    Column("article_title", "string", "The article's title."),
    Column("article_url", "string", "Where the article was published, when known."),
    Column("article_outlet", "string", "The outlet that published the article."),
    Column("article_published", "date", "When the article was published."),
    Column("parent", "integer", "The claim this one is part of, when it is public."),
    Column("updated_at", "datetime", "When the claim last changed, in UTC."),
    Column("reports", "string", "Ids of other articles reporting the claim, space-separated."),
]
BATTLE_COLUMNS = [
    Column("slug", "string", "The battle's identifier; /battles/<slug>/ on the site."),
    Column("name", "string", "The battle's name."),
    Column("conflict", "string", "The war it belongs to."),
    Column("start_date", "date", "When it started."),
    Column("end_date", "date", "When it ended; empty while it goes on."),
    Column("description", "string", "A short description."),
]
SOURCE_COLUMNS = [
    Column("slug", "string", "The source's identifier; /sources/<slug>/ on the site."),
    Column("name", "string", "The source's name."),
    Column("kind", "string", "What the source is.", _values(Source.Kind.values)),
    Column("affiliation", "string", "The side it belongs to, as a slug."),
    Column("role", "string", 'Its role, e.g. "President of Ukraine".'),
]
ARTICLE_COLUMNS = [
    Column("id", "integer", "The article's id; /articles/<id>/ on the site."),
    Column("title", "string", "Its title."),
    Column("url", "string", "Where it was published, when known."),
    Column("outlet_slug", "string", "The outlet that published it (sources table)."),
    Column("author", "string", "Its author, when known."),
    Column("published_date", "date", "When it was published."),
]
TABLES: dict[str, list[Column]] = {
    "claims": CLAIM_COLUMNS,
    "battles": BATTLE_COLUMNS,
    "sources": SOURCE_COLUMNS,
    "articles": ARTICLE_COLUMNS,
}
PRIMARY_KEYS = {"claims": "id", "battles": "slug", "sources": "slug", "articles": "id"}
ARROW_TYPES = {
    "integer": pa.int64(),
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}
# How pandas reads each type without losing it (the codebook says so too).
PANDAS_DTYPES = {"integer": "Int64", "string": "string", "date": "date", "datetime": "datetime"}
READ_BLOCK = 1024 * 1024


def table_schema(table: str) -> dict[str, Any]:
    return {
        "fields": [column.table_schema_field() for column in TABLES[table]],
        "primaryKey": PRIMARY_KEYS[table],
        "missingValues": [""],
    }


# --- writing ------------------------------------------------------------------------------


def _write_rows(path: Path, columns: list[Column], rows: Iterable[Iterable[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow([column.name for column in columns])
        for row in rows:
            writer.writerow(
                [value.isoformat() if isinstance(value, date) else value for value in row]
            )


def _write_claims(path: Path) -> None:
    claims = selectors.claim_list_api().order_by("id")
    with path.open("wb") as file:
        for block in claims_csv(claims):
            file.write(block)


def _write_tables(folder: Path) -> None:
    _write_claims(folder / "claims.csv")
    _write_rows(
        folder / "battles.csv",
        BATTLE_COLUMNS,
        Battle.objects.order_by("slug").values_list(*(c.name for c in BATTLE_COLUMNS)),
    )
    _write_rows(
        folder / "sources.csv",
        SOURCE_COLUMNS,
        selectors.source_list_public()
        .order_by("slug")
        .values_list(*(c.name for c in SOURCE_COLUMNS))
        .iterator(),
    )
    _write_rows(
        folder / "articles.csv",
        ARTICLE_COLUMNS,
        selectors.article_list_public()
        .order_by("id")
        .values_list("id", "title", "url", "outlet__slug", "author", "published_date")
        .iterator(chunk_size=5000),
    )


def _csv_to_parquet(csv_path: Path, columns: list[Column]) -> Path:
    """The CSV as Parquet with the schema's types, read and written in blocks."""
    parquet_path = csv_path.with_suffix(".parquet")
    reader = pa_csv.open_csv(
        csv_path,
        read_options=pa_csv.ReadOptions(block_size=16 * 1024 * 1024),
        # Excerpts may hold line breaks inside quotes.
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types={column.name: ARROW_TYPES[column.type] for column in columns},
            # An empty text cell is an empty string, as in the CSV; only typed cells are null.
            strings_can_be_null=False,
        ),
    )
    schema = reader.schema.with_metadata({b"pandas": _pandas_metadata(columns)})
    with pq.ParquetWriter(parquet_path, schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)
    return parquet_path


def _pandas_metadata(columns: list[Column]) -> bytes:
    """The schema metadata pandas writes itself, naming the nullable Int64 dtype for integer
    columns: pandas (and tools on it) then read integers with gaps as integers, not floats,
    without being told (https://arrow.apache.org/docs/python/pandas.html#nullable-types)."""
    return json.dumps(
        {
            "index_columns": [],
            "column_indexes": [],
            "columns": [
                {
                    "name": column.name,
                    "field_name": column.name,
                    "pandas_type": {"integer": "int64", "string": "unicode"}.get(
                        column.type, column.type
                    ),
                    "numpy_type": "Int64" if column.type == "integer" else "object",
                    "metadata": None,
                }
                for column in columns
            ],
            "creator": {"library": "claimsite"},
        }
    ).encode()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _claim_versions(parquet_path: Path) -> dict[int, int]:
    """Claim id -> updated_at (microseconds) of a release's claims."""
    table = pq.read_table(parquet_path, columns=["id", "updated_at"])
    return dict(
        zip(
            table["id"].to_pylist(),
            table["updated_at"].cast(pa.int64()).to_pylist(),
            strict=True,
        )
    )


@dataclass(frozen=True)
class Changes:
    claims: int
    added: int
    corrected: int
    withdrawn: int


def _changes(current: dict[int, int], previous: dict[int, int]) -> Changes:
    return Changes(
        claims=len(current),
        added=sum(1 for pk in current if pk not in previous),
        corrected=sum(1 for pk, version in current.items() if previous.get(pk, version) != version),
        withdrawn=sum(1 for pk in previous if pk not in current),
    )


def _citation_cff(number: int, day: date) -> str:
    # JSON strings are valid YAML scalars: no YAML library needed to write this safely.
    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    return "\n".join(
        [
            "cff-version: 1.2.0",
            f"message: {quoted('If you use this dataset, please cite it as below.')}",
            "type: dataset",
            f"title: {quoted(TITLE)}",
            f"version: {quoted(str(number))}",
            f"date-released: {day.isoformat()}",
            f"license: {DATA_LICENCE['name']}",
            f"abstract: {quoted(DESCRIPTION)}",
            "authors:",
            f"  - name: {quoted('claimsite editors')}",
            "",
        ]
    )


def _datapackage(
    *, number: int, created: datetime, files: dict[str, dict[str, Any]], changes: Changes
) -> dict[str, Any]:
    resources = []
    for table in TABLES:
        for suffix, media_type in (("csv", "text/csv"), ("parquet", "application/parquet")):
            name = f"{table}.{suffix}"
            resource: dict[str, Any] = {
                "name": table if suffix == "csv" else f"{table}-parquet",
                "path": name,
                "format": suffix,
                "mediatype": media_type,
                "schema": table_schema(table),
            }
            if suffix == "csv":
                # Frictionless checks these while it reads a CSV; it reads Parquet whole,
                # without counting bytes, so those files' checksums are in SHA256SUMS only.
                resource["encoding"] = "utf-8"
                resource["bytes"] = files[name]["bytes"]
                resource["hash"] = f"sha256:{files[name]['sha256']}"
            resources.append(resource)
    return {
        "name": "claimsite",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": str(number),
        "created": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [DATA_LICENCE],
        "sources": [
            {
                "title": "Published news articles, read by the claimsite extractor and "
                "reviewed by its editors",
            }
        ],
        "contributors": [{"title": DATA_ATTRIBUTION, "role": "publisher"}],
        "keywords": ["casualties", "war", "claims", "news"],
        "resources": resources,
        # Not part of the Data Package standard: what changed since the previous release.
        "claimsite_changes": {
            "previous_release": number - 1 if number > 1 else None,
            "claims": changes.claims,
            "added": changes.added,
            "corrected": changes.corrected,
            "withdrawn": changes.withdrawn,
        },
    }


def _release_folder(number: int) -> Path:
    return Path(settings.DATASET_RELEASES_DIR) / str(number)


def release_publish() -> DatasetRelease:
    """Writes the next release and records it. The tables are read in one snapshot on
    PostgreSQL (REPEATABLE READ), so claims, articles and sources agree."""
    root = Path(settings.DATASET_RELEASES_DIR)
    root.mkdir(parents=True, exist_ok=True)
    last = DatasetRelease.objects.aggregate(last=Max("number"))["last"] or 0
    number = last + 1
    target = _release_folder(number)
    if target.exists():
        raise ReleaseError(
            f"{target} exists but no release {number} is recorded (an interrupted run?). "
            "Look at it and remove it before releasing again."
        )
    staging = root / f".staging-{number}-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        # Only a transaction of our own can be made REPEATABLE READ (not one we are inside).
        own_transaction = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and own_transaction:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            _write_tables(staging)
        for table, columns in TABLES.items():
            _csv_to_parquet(staging / f"{table}.csv", columns)
        current = _claim_versions(staging / "claims.parquet")
        previous = _claim_versions(_release_folder(last) / "claims.parquet") if last else {}
        changes = _changes(current, previous)
        created = timezone.now().astimezone(UTC)
        files = {
            path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
            for path in sorted(staging.iterdir())
        }
        package = _datapackage(number=number, created=created, files=files, changes=changes)
        (staging / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (staging / "CITATION.cff").write_text(
            _citation_cff(number, created.date()), encoding="utf-8"
        )
        for name in ("datapackage.json", "CITATION.cff"):
            path = staging / name
            files[name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        (staging / "SHA256SUMS").write_text(
            "".join(f"{entry['sha256']}  {name}\n" for name, entry in sorted(files.items())),
            encoding="utf-8",
        )
        for path in staging.iterdir():
            path.chmod(0o444)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return DatasetRelease.objects.create(
        number=number,
        published_at=created,
        claims_count=changes.claims,
        added_count=changes.added,
        corrected_count=changes.corrected,
        withdrawn_count=changes.withdrawn,
        files=files,
    )


# --- reading ------------------------------------------------------------------------------


def release_list() -> list[DatasetRelease]:
    return list(DatasetRelease.objects.order_by("-number"))


def release_file(*, release: DatasetRelease, name: str) -> Path | None:
    """The path of one of the release's files, or None for a name it does not hold."""
    if name not in release.files and name != "SHA256SUMS":
        return None
    return _release_folder(release.number) / name


def release_file_names(release: DatasetRelease) -> Iterator[str]:
    yield from sorted(release.files)
    yield "SHA256SUMS"
