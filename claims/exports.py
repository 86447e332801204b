"""The API's CSV export of approved claims, streamed whatever their number.

On PostgreSQL the server writes the CSV itself (COPY (SELECT ...) TO STDOUT): turning a
million rows into Python objects and back into text is what limited the export, and COPY
does the same work several times faster. Elsewhere (SQLite, for development) the rows are
read in chunks and written with the csv module. Both write the same text: ISO dates, times
in UTC as 2024-07-21T10:00:00.000000Z, an empty cell for a missing value, "\\n" line ends,
quotes only where a cell needs them.
"""

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection, transaction
from django.db.models import (
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, NullIf

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


def claims_csv(claims: QuerySet[Claim]) -> Iterator[bytes]:
    """The CSV of `claims` (from claim_list_api(), filtered), header first."""
    yield _csv_line(CLAIM_EXPORT_COLUMNS)
    if connection.vendor == "postgresql":
        yield from _copy_csv(claims)
    else:
        yield from _python_csv(claims)


def _csv_line(cells: Sequence[object]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().encode()


def _python_csv(claims: QuerySet[Claim]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # Inside a transaction the server-side cursor streams; outside one Django declares it
    # WITH HOLD, and a database would build the whole result before the first row.
    with transaction.atomic():
        for chunk in claim_export_chunks(claims=claims, chunk_size=CHUNK_ROWS):
            writer.writerows([_python_cell(value) for value in row] for row in chunk)
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()


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
    sql, params = rows.query.sql_with_params()
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
    return NullIf(Cast(F(path), TextField()), Value("", output_field=TextField()))


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
