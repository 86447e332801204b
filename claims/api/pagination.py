"""Page-number pagination for browsing and cursor pagination for full dumps."""

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination, PageNumberPagination

from claims.api.exceptions import query_parameter_error
from claims.selectors import CLAIM_COUNT_LIMIT

ID_MAX = 2**63 - 1  # ids are BIGINT


class KnownCountPaginator(Paginator):
    """A Paginator that takes the row count from the caller when it already has it: the
    claims list counts its rows once for the ETag and the page count both.

    With `count_is_capped`, the list holds more rows than `known_count`: any page number is
    taken, each page reads one row past its end to know whether another follows, and the
    count becomes the rows known up to there (at least `known_count`)."""

    def __init__(self, *args, known_count: int | None = None, count_is_capped=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count
        self.count_is_capped = count_is_capped

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return super().count

    def validate_number(self, number):
        if self.count_is_capped and str(number).isdigit() and int(number) > self.num_pages:
            return int(number)  # past the rows counted: page() finds out
        return super().validate_number(number)

    def page(self, number):
        if not self.count_is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        # The count and page count cached so far become the rows known up to this page's
        # end, the one row past it included: has_next() is then true when that row exists.
        self.__dict__["count"] = max(self.count, bottom + len(rows))
        self.__dict__.pop("num_pages", None)
        return Page(rows[: self.per_page], number, self)


class CheckedPageSize:
    """`page_size` refused with a message when it is not a whole number in range: DRF
    silently falls back to the default on "abc" or "0", and a researcher's script should
    learn that its page size was not used."""

    page_size: int
    page_size_query_param: str
    max_page_size: int

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise query_parameter_error(
                self.page_size_query_param,
                f"Give a whole number from 1 to {self.max_page_size}.",
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        # DRF documents page_size as any integer; say what is taken, so that the schema and
        # the 400 answers agree.
        parameters = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class StandardPagination(CheckedPageSize, PageNumberPagination):
    """?page=N&page_size=M: 50 items by default, at most 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    known_count: int | None = None
    count_is_capped = False

    # A method in place of DRF's class attribute: DRF only calls it, with these two arguments.
    def django_paginator_class(self, object_list, per_page):  # type: ignore[override]
        return KnownCountPaginator(
            object_list,
            per_page,
            known_count=self.known_count,
            count_is_capped=self.count_is_capped,
        )

    def get_schema_operation_parameters(self, view):
        # DRF documents the page as any integer; say what is taken, so that the schema and
        # the 404 answers agree (CheckedPageSize does the same for page_size).
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters

    def get_page_number(self, request, paginator):
        # DRF reads an empty ?page= as the first page; a script that sent one has a bug.
        if request.query_params.get(self.page_query_param) == "":
            raise query_parameter_error(self.page_query_param, "Give a page number from 1.")
        return super().get_page_number(request, paginator)


class RowsByIds:
    """Loads a page's rows by their ids, in the page's order, from `rows_from` when the view
    sets it (the same rows without the filters: given the filters' WHERE as well, PostgreSQL
    walked the filter's index to find 500 ids that the primary key finds at once), else from
    the filtered queryset."""

    rows_from: QuerySet | None = None

    def rows_in_order(self, queryset: QuerySet, ids: list[int]) -> list:
        source = self.rows_from if self.rows_from is not None else queryset
        rows = source.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


class NarrowRowsFirstPagination(RowsByIds, StandardPagination):
    """StandardPagination that cuts the page from the rows' ids alone, then loads only those
    rows (with their joins and annotations) and keeps them in page order. Sorting and
    skipping a million wide, joined rows to keep fifty cost PostgreSQL ten times more than
    reading the ids off an index."""

    def paginate_queryset(self, queryset, request, view=None):
        ids: list[int] | None = super().paginate_queryset(
            queryset.values_list("pk", flat=True), request, view
        )
        if ids is None:
            return None
        return self.rows_in_order(queryset, ids)


class ClaimListPagination(NarrowRowsFirstPagination):
    """The claims list's pages: NarrowRowsFirstPagination whose count may be capped (the
    view counts at most selectors.CLAIM_COUNT_LIMIT claims) and says so in
    `count_is_capped`."""

    def get_page_number(self, request, paginator):
        # DRF reads "last" as the page count, which a capped count does not know.
        if self.count_is_capped and request.query_params.get(self.page_query_param) == "last":
            raise query_parameter_error(
                self.page_query_param,
                f"More than {CLAIM_COUNT_LIMIT:,} claims match: the last page is not counted. "
                "Narrow the filters, or walk claims/dump/.",
            )
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_is_capped"] = self.count_is_capped
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            "The number of matching claims; when count_is_capped, at least this many."
        )
        paginated["properties"]["count_is_capped"] = {
            "type": "boolean",
            "description": "true: more claims match than were counted "
            f"({CLAIM_COUNT_LIMIT:,}, or up to the end of this page when it lies further); "
            "every page can still be read. Narrow the filters for an exact count, or walk "
            "claims/dump/.",
        }
        paginated["required"] = [*paginated["required"], "count_is_capped"]
        return paginated


class DumpCursorPagination(RowsByIds, CheckedPageSize, CursorPagination):
    """?cursor=...: walks every row once in id order, however the data changes meanwhile.
    For full dumps and incremental sync (with updated_since). Like NarrowRowsFirstPagination,
    it reads the page's ids first (off the filters' covering index), then loads only those
    rows: asked for whole rows, PostgreSQL joined every article to all the claims of a
    filter before cutting the page (issue 18)."""

    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "id"
    invalid_cursor_text = "Invalid cursor: follow the next or previous link of an earlier page."

    def paginate_queryset(self, queryset, request, view=None):
        # The cursor's links are worked out from the ids alone (its ordering is "id").
        ids_page: list[dict] | None = super().paginate_queryset(
            queryset.values("id"), request, view
        )
        if ids_page is None:
            return None
        return self.rows_in_order(queryset, [row["id"] for row in ids_page])

    def decode_cursor(self, request) -> Cursor | None:
        # DRF answers 404 to a cursor it cannot read, and takes any position in one it can:
        # "abc" where an id belongs failed in the database. Both are the client's mistake.
        if request.query_params.get(self.cursor_query_param) == "":
            raise query_parameter_error(self.cursor_query_param, self.invalid_cursor_text)
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise query_parameter_error(self.cursor_query_param, self.invalid_cursor_text) from exc
        if cursor is not None and cursor.position is not None:
            position = str(cursor.position)
            if not (position.isascii() and position.isdigit() and int(position) <= ID_MAX):
                raise query_parameter_error(self.cursor_query_param, self.invalid_cursor_text)
        return cursor


class DeletionsCursorPagination(CheckedPageSize, CursorPagination):
    """?cursor=...: the tombstones in the order they were written, every one once."""

    page_size = DumpCursorPagination.page_size
    page_size_query_param = "page_size"
    max_page_size = DumpCursorPagination.max_page_size
    ordering = ("withdrawn_at", "claim_id")
