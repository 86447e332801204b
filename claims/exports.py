"""The CSV exports of approved claims (the API's list and a battle page's download), streamed
whatever their number, written by one writer with one escaping rule.

On PostgreSQL the server writes the CSV itself (COPY (SELECT ...) TO STDOUT): turning a
million rows into Python objects and back into text is what limited the export, and COPY
does the same work several times faster. Elsewhere (SQLite, for development) the rows are
read in chunks and written with the csv module. Both write the same text: ISO dates, times
in UTC as 2024-07-21T10:00:00.000000Z, an empty cell for a missing value, "\\n" line ends,
quotes only where a cell needs them, and a quote (') before text a spreadsheet would run as a
formula (spreadsheet_safe).
"""

import csv
import io
from collections.abc import Generator, Iterator, Sequence
from datetime import UTC, date, datetime

from django.contrib.postgres.aggregates import StringAgg
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    Case,
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Left, NullIf
from django.db.models.lookups import In

from claims.models import Claim
from claims.selectors import (
    CLAIM_EXPORT_COLUMNS,
    CLAIM_EXPORT_FIELDS,
    claim_export_chunks,
    claim_with_public_parent,
)

CHUNK_ROWS = 2000
BLOCK_BYTES = 64 * 1024  # what COPY sends is gathered into blocks this big before a write
DATE_COLUMNS = {"claim_date", "period_start", "period_end", "article_published"}
NUMBER_COLUMNS = {"id", "figure_low", "figure_high", "article_id", "parent"}
TIMESTAMP_SQL_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
# A spreadsheet runs a cell starting with one of these as a formula (OWASP's "CSV injection"):
# uploaders choose titles, outlets and the text excerpts come from, so such text gets a quote
# in front and reads as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, with a quote in front; anything else
    (numbers, dates, other text) as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def claims_csv(claims: QuerySet[Claim]) -> Generator[bytes]:
    """The CSV of `claims` (from claim_list_api(), filtered), header first."""
    rows = _copy_csv(claims) if connection.vendor == "postgresql" else _python_csv(claims)
    yield _csv_line(CLAIM_EXPORT_COLUMNS) + next(rows, b"")
    yield from rows


class StartedExport:
    """An export (a generator of blocks) whose first block is made at once: the header comes
    with the first rows, so a query that fails is an error the view can still answer, not a
    200 with a header and a cut connection that reads as "no rows". close() closes the
    export, as the server does when the client goes away: its cursor and transaction end.
    (Django's test client closes a streamed answer only once it is read to its end: a test
    must read it, or the transaction stays open into the next test.)"""

    def __init__(self, chunks: Generator[bytes]) -> None:
        self.chunks = chunks
        self.first: bytes | None = next(chunks, b"")

    def __iter__(self) -> "StartedExport":
        return self

    def __next__(self) -> bytes:
        if self.first is not None:
            first, self.first = self.first, None
            return first
        return next(self.chunks)

    def close(self) -> None:
        self.chunks.close()


def _csv_line(cells: Sequence[object]) -> bytes:
    """One row, as COPY writes it. The csv module quotes a cell holding a character of its
    line terminator: with "\r\n" it quotes cells with a lone "\r" as COPY does (with "\n" it
    would not, and a reader would split the row there); the row then ends in "\n"."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([spreadsheet_safe(cell) for cell in cells])
    return buffer.getvalue().removesuffix("\r\n").encode() + b"\n"


def battle_page_csv(claims: QuerySet[Claim], *, site: str) -> Generator[bytes]:
    """A battle page's download: the page's columns, for people reading it in a spreadsheet
    (names rather than slugs, the figure as the page shows it, a link to each claim)."""
    rows = (_csv_line(_battle_csv_row(claim, site)) for claim in claims.iterator(CHUNK_ROWS))
    yield _csv_line(BATTLE_CSV_COLUMNS) + next(rows, b"")
    yield from rows


BATTLE_CSV_COLUMNS = [
    "id",
    "claim_date",
    "battle",
    "side",
    "unit",
    "category",
    "qualifier",
    "figure_low",
    "figure_high",
    "figure",
    "claimant",
    "claimant_affiliation",
    "basis",
    "period_start",
    "period_end",
    "excerpt",
    "article_title",
    "outlet",
    "published_date",
    "article_url",
    "permalink",
]


def _battle_csv_row(claim: Claim, site: str) -> list[object]:
    article = claim.article
    values = (
        claim.id,
        claim.claim_date,
        claim.battle.name if claim.battle else "",
        claim.side,
        claim.unit,
        claim.category,
        claim.qualifier,
        claim.figure_low,
        claim.figure_high,
        claim.figure_display,
        claim.claimant.name if claim.claimant else "",
        claim.claimant.affiliation if claim.claimant else "",
        claim.basis,
        claim.period_start,
        claim.period_end,
        claim.excerpt,
        article.title,
        article.outlet.name if article.outlet else "",
        article.published_date,
        article.url,
        site + claim.get_absolute_url(),
    )
    return ["" if value is None else _python_cell(value) for value in values]


def _python_csv(claims: QuerySet[Claim]) -> Iterator[bytes]:
    # Inside a transaction the server-side cursor streams; outside one Django declares it
    # WITH HOLD, and a database would build the whole result before the first row.
    with transaction.atomic():
        for chunk in claim_export_chunks(claims=claims, chunk_size=CHUNK_ROWS):
            yield b"".join(_csv_line([_python_cell(value) for value in row]) for row in chunk)


def _python_cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _copy_csv(claims: QuerySet[Claim]) -> Iterator[bytes]:
    cells: dict[str, F | Func | Subquery] = {
        f"csv_{column}": _sql_cell(column, path) for column, path in CLAIM_EXPORT_FIELDS.items()
    }
    cells["csv_reports"] = _reports_sql()
    rows = claim_with_public_parent(claims).annotate(**cells).values_list(*cells)
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # Django proved no row can match (an empty id list): none to copy
        return
    block = bytearray()
    statement = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for data in copy:
            block += data
            if len(block) >= BLOCK_BYTES:
                yield bytes(block)
                block.clear()
    yield bytes(block)


def _sql_cell(column: str, path: str) -> F | Func:
    if column in NUMBER_COLUMNS:
        return F(path)
    if column in DATE_COLUMNS:
        return Func(F(path), Value("YYYY-MM-DD"), function="to_char", output_field=TextField())
    if column == "updated_at":
        return Func(
            Func(F(path), template="%(expressions)s AT TIME ZONE 'UTC'"),
            Value(TIMESTAMP_SQL_FORMAT),
            function="to_char",
            output_field=TextField(),
        )
    # COPY quotes an empty string ("") to tell it from NULL; the csv module writes neither.
    return NullIf(
        _spreadsheet_safe_sql(Cast(F(path), TextField())), Value("", output_field=TextField())
    )


def _spreadsheet_safe_sql(text: Cast) -> Case:
    """spreadsheet_safe() in SQL, for COPY."""
    return Case(
        When(
            In(Left(text, 1), list(FORMULA_PREFIXES)),
            then=Concat(Value("'"), text, output_field=TextField()),
        ),
        default=text,
        output_field=TextField(),
    )


def _reports_sql() -> Subquery:
    """The ids of the other articles reporting the claim, space-separated, in id order."""
    through = Claim.reported_by.through
    return Subquery(
        # The stubs' plugin loses annotations made after values() (django-stubs issue 3509)
        # and rejects values("ids"), which Django accepts.
        through.objects.filter(claim_id=OuterRef("pk"))  # type: ignore[misc]
        .order_by()
        .values("claim_id")
        .annotate(
            ids=StringAgg(Cast("article_id", TextField()), delimiter=" ", order_by="article_id")
        )
        .values("ids"),
        output_field=TextField(),
    )
