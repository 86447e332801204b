"""Thin API views: selectors for reads, ingest services for uploads."""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.html import format_html
from django.utils.http import http_date, quote_etag
from django.utils.safestring import SafeString
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, routers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from claims import selectors
from claims.api import serializers
from claims.api.exceptions import query_parameter_error
from claims.api.fields import FIELDS_PARAM, requested_fields
from claims.api.filters import query_parameters_known
from claims.api.ndjson import claims_ndjson
from claims.api.pagination import (
    ClaimListPagination,
    DumpCursorPagination,
    NarrowRowsFirstPagination,
    StandardPagination,
)
from claims.api.parsers import JSONParser
from claims.api.permissions import CanSeeArticleStatus, CanSubmitArticles
from claims.api.renderers import CSVRenderer, NDJSONRenderer
from claims.assessment import claim_with_assessment
from claims.exports import StartedExport, claims_csv
from claims.filtersets import ClaimFilterSet
from claims.models import Article, Battle, Claim
from claims.public_cache import public_cached, request_cache_key
from ingest.services import UploadError, article_submit_upload


class ApiRootView(routers.APIRootView):
    """What the API is and where its documentation is, then a link to each list."""

    def get_view_name(self) -> str:
        return "claimsite API"

    def get_view_description(self, html: bool = False) -> str | SafeString:
        about = str(settings.SPECTACULAR_SETTINGS["DESCRIPTION"])
        if not html:
            return about
        return format_html(
            "<p>{}</p><p>Documentation: <a href='{}'>Swagger UI</a> (try every endpoint), "
            "<a href='{}'>ReDoc</a>, and the <a href='{}'>OpenAPI 3 schema</a>. Every list "
            "below is filtered and paged as the documentation says.</p>",
            about,
            reverse("api:docs"),
            reverse("api:redoc"),
            reverse("api:schema"),
        )

    def get(self, request, *args, **kwargs):
        lists = super().get(request, *args, **kwargs).data
        return Response(
            {
                "about": self.get_view_description(),
                "docs": request.build_absolute_uri(reverse("api:docs")),
                "redoc": request.build_absolute_uri(reverse("api:redoc")),
                "schema": request.build_absolute_uri(reverse("api:schema")),
                **lists,
            }
        )


# Bump when a serializer's output changes, so that caches drop lists they hold.
REPRESENTATION_VERSION = "4"  # 4: claims gained period_kind and period_display (issue 14)


# The two mixins below call methods of the view sets they are mixed into, which the type
# checker cannot see from a plain class: hence their `ignore[misc]` / `ignore[attr-defined]`.
class ConditionalGetMixin:
    """ETag on every successful GET that has none yet, from the rendered body, and 304 when
    the client already holds it (what ConditionalGetMiddleware would do, for the API only)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(response, Response)
            and not response.has_header("ETag")
        ):
            response.render()
            response["ETag"] = body_etag(response.content)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response


@dataclass(frozen=True)
class Validators:
    """An answer's ETag and Last-Modified, so that a client can ask again cheaply."""

    etag: str
    last_modified: int | None  # a timestamp

    def not_modified(self, request) -> HttpResponseNotModified | None:
        if (
            get_conditional_response(request, etag=self.etag, last_modified=self.last_modified)
            is not None
        ):
            return HttpResponseNotModified()
        return None

    def apply(self, response):
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        return response


def list_validators(request, freshness: selectors.Freshness) -> Validators:
    """A list's validators from how many rows it holds and when the newest of them changed:
    known before any row is read (a CSV export answers 304 without running)."""
    last_modified = freshness["last_modified"]
    seed = "|".join(
        [
            REPRESENTATION_VERSION,
            request.get_full_path(),
            request.accepted_media_type or "",
            str(freshness["count"]),
            last_modified.isoformat() if last_modified else "",
        ]
    )
    return Validators(
        etag=quote_etag(hashlib.sha256(seed.encode()).hexdigest()[:32]),
        last_modified=int(last_modified.timestamp()) if last_modified else None,
    )


@dataclass(frozen=True)
class RenderedAnswer:
    """A JSON answer as it is sent, kept in the public cache."""

    content: bytes
    content_type: str
    validators: Validators


# What a public read computes: the data to render, and its validators when they are known
# without the body (otherwise the ETag is a hash of the body).
Computed = tuple[Any, Validators | None]


class PublicCacheMixin:
    """Public reads answered from the public cache until the data changes: counting a million
    claims per battle, source or article takes far longer than a request may. JSON answers
    are kept rendered: rebuilding the objects of a 200 KB summary on every request cost more
    than the request itself, and its garbage paused the worker. Other formats (the
    browsable API) are computed each time."""

    def list(self, request, *args, **kwargs):
        parent_list = super().list  # type: ignore[misc]
        return self.public_answer(
            request, lambda: (parent_list(request, *args, **kwargs).data, None)
        )

    def retrieve(self, request, *args, **kwargs):
        parent_retrieve = super().retrieve  # type: ignore[misc]
        return self.public_answer(
            request, lambda: (parent_retrieve(request, *args, **kwargs).data, None)
        )

    def public_answer(self, request, compute: Callable[[], Computed]) -> HttpResponseBase:
        renderer = request.accepted_renderer
        if renderer.format != "json":
            data, validators = compute()
            if validators is None:
                return Response(data)  # ConditionalGetMixin adds an ETag from the body
            return validators.apply(validators.not_modified(request) or Response(data))

        def render() -> RenderedAnswer:
            data, validators = compute()
            context = self.get_renderer_context()  # type: ignore[attr-defined]
            content = renderer.render(data, request.accepted_media_type, context)
            return RenderedAnswer(
                content=content,
                content_type=renderer.media_type,
                validators=validators or Validators(etag=body_etag(content), last_modified=None),
            )

        key = request_cache_key(request, params=query_parameters_known(self))
        answer = public_cached(key, render)
        response = answer.validators.not_modified(request) or HttpResponse(
            answer.content, content_type=answer.content_type
        )
        return answer.validators.apply(response)


FIELDS_PARAMETER = OpenApiParameter(
    FIELDS_PARAM,
    OpenApiTypes.STR,
    description="Comma-separated claim fields to keep, e.g. id,figure_low,figure_high,side "
    "(JSON and NDJSON); unknown names are a 400.",
)


def claim_shown(claims):
    """What the API shows of a claim beyond its columns: its public parent and whether it
    is contested."""
    return claim_with_assessment(selectors.claim_with_public_parent(claims))


@functools.cache
def _claims_shown_unprefetched() -> QuerySet[Claim]:
    # Built once per process and only ever cloned, never evaluated: building these
    # annotations' expressions took about 2 ms a request, as long as the database takes to
    # find a claim (issue 18). Without the prefetch, whose queryset Django changes each time
    # it is used.
    return claim_shown(selectors.claim_list_api().prefetch_related(None))


def claims_shown() -> QuerySet[Claim]:
    """Every approved claim as the API shows it (claim_shown(selectors.claim_list_api()))."""
    return _claims_shown_unprefetched().prefetch_related(selectors.claim_reports_prefetch())


def body_etag(content: bytes) -> str:
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


class ClaimViewSet(ConditionalGetMixin, PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Approved claims. Drafts and rejected claims are never listed, in any format."""

    serializer_class = serializers.ClaimSerializer
    filterset_class = ClaimFilterSet
    pagination_class = ClaimListPagination
    lookup_value_regex = r"[0-9]+"
    extra_query_params = (FIELDS_PARAM,)
    fields_wanted: list[str] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.fields_wanted = requested_fields(
            request.query_params, serializers.ClaimSerializer.Meta.fields
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "fields": self.fields_wanted}

    def get_queryset(self):
        # The list counts its rows first and annotates only the page it shows (see list()).
        return selectors.claim_list_api() if self.action == "list" else claims_shown()

    def get_renderers(self):
        renderers = [renderer() for renderer in api_settings.DEFAULT_RENDERER_CLASSES]
        # None: a method the list does not take (TRACE ...?format=csv), which must answer
        # 405, not a 404 for its format.
        if self.action in ("list", None):
            renderers += [CSVRenderer(), NDJSONRenderer()]
        return renderers

    @extend_schema(
        summary="List approved claims",
        description=(
            "Filtered, ordered and paginated (`page`, `page_size` up to 500). "
            "`?format=csv` streams every matching row as CSV, unpaginated; "
            "`?format=ndjson` streams them as JSON, one claim a line, in the list's order. "
            "`fields=id,figure_low,...` keeps only those fields (JSON and NDJSON). "
            "ETag and Last-Modified let a client ask again with If-None-Match / "
            "If-Modified-Since and get 304 when nothing changed."
        ),
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", "csv", "ndjson"],
                description="csv and ndjson stream every matching row, unpaginated.",
            ),
            FIELDS_PARAMETER,
        ],
    )
    def list(self, request, *args, **kwargs):
        stream_format = request.accepted_renderer.format
        if stream_format not in ("csv", "ndjson"):
            return self.public_answer(request, lambda: self.page_listing(request))
        if stream_format == "csv" and self.fields_wanted is not None:
            raise query_parameter_error(
                FIELDS_PARAM, "The CSV has fixed columns; fields= applies to json and ndjson."
            )
        claims = self.filter_queryset(self.get_queryset())
        validators = list_validators(request, selectors.claim_list_freshness(claims=claims))
        stream = self.csv_response if stream_format == "csv" else self.ndjson_response
        return validators.apply(validators.not_modified(request) or stream(claims))

    def ndjson_response(self, claims) -> StreamingHttpResponse:
        lines = claims_ndjson(claim_shown(claims), self.get_serializer_context())
        return StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")

    def page_listing(self, request) -> Computed:
        """One page, with the ETag and Last-Modified of the whole filtered list."""
        claims = self.filter_queryset(self.get_queryset())
        freshness = selectors.claim_list_freshness(
            claims=claims, count_limit=selectors.CLAIM_COUNT_LIMIT
        )
        assert isinstance(self.paginator, ClaimListPagination)  # the list's pagination_class
        self.paginator.known_count = freshness["count"]
        self.paginator.count_is_capped = freshness["count_is_capped"]
        self.paginator.rows_from = claims_shown()
        page = self.paginate_queryset(claims)
        data = self.get_paginated_response(self.get_serializer(page, many=True).data).data
        return data, list_validators(request, freshness)

    def csv_response(self, claims) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            StartedExport(claims_csv(claims)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        return response

    @extend_schema(
        summary="Dump approved claims with a cursor",
        description=(
            "Every matching claim once, in id order, 500 a page (`page_size` up to 1000): "
            "follow `next` until it is null. Stable while claims are added, so a sync can "
            "combine it with `updated_since`. Takes the same filters as the list, "
            "except `ordering`. `deletions` links to the claims withdrawn since "
            "`updated_since`: a sync drops those."
        ),
        responses=serializers.ClaimDumpPageSerializer,
        parameters=[OpenApiParameter("ordering", exclude=True), FIELDS_PARAMETER],
    )
    @action(detail=False, pagination_class=DumpCursorPagination)
    def dump(self, request, *args, **kwargs):
        if "ordering" in request.query_params:
            raise query_parameter_error("ordering", "A dump is always in id order.")
        claims = self.filter_queryset(self.get_queryset())
        assert isinstance(self.paginator, DumpCursorPagination)  # the dump's pagination_class
        self.paginator.rows_from = claims_shown()
        page = self.paginate_queryset(claims)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        # Where the claims taken back since then are listed (issue 15): a sync applies both.
        deletions = reverse("api:deletion-list")
        since = request.query_params.get("updated_since")
        query = f"?{urlencode({'since': since})}" if since else ""
        response.data["deletions"] = request.build_absolute_uri(deletions + query)
        return response


class BattleViewSet(ConditionalGetMixin, PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Battles with the number of approved claims about each."""

    serializer_class = serializers.BattleSerializer
    pagination_class = StandardPagination
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.battle_list_public()

    @extend_schema(
        summary="A battle's claims tabulated",
        description=(
            "Per category and side: the number of approved claims, the lowest and highest "
            "figures claimed, the latest claim, and each claimant's latest claim."
        ),
        responses=serializers.BattleSummarySerializer,
    )
    @action(detail=True)
    def summary(self, request, *args, **kwargs):
        context = self.get_serializer_context()

        def summarise() -> Computed:
            # Battles are all public; the list's claim counts are not needed here. An unknown
            # slug raises its 404 before anything is cached.
            battle = get_object_or_404(Battle, slug=kwargs["slug"])
            summary = selectors.battle_summary(battle=battle)
            return serializers.BattleSummarySerializer(summary, context=context).data, None

        return self.public_answer(request, summarise)


class SourceViewSet(ConditionalGetMixin, PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Claimants of approved claims and outlets of public articles."""

    serializer_class = serializers.SourceSerializer
    pagination_class = StandardPagination
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.source_list_public()


class ArticleViewSet(
    ConditionalGetMixin,
    PublicCacheMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Articles carrying or reporting approved claims; editors upload new ones here."""

    pagination_class = NarrowRowsFirstPagination
    lookup_value_regex = r"[0-9]+"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if self.action == "status":
            return Article.objects.defer("body", "original_content")
        queryset = selectors.article_list_api()
        return queryset if self.action == "retrieve" else queryset.defer("body")

    def get_serializer_class(self):
        return {
            "retrieve": serializers.ArticleDetailSerializer,
            "create": serializers.ArticleUploadSerializer,
            "status": serializers.ArticleStatusSerializer,
        }.get(self.action, serializers.ArticleSerializer)

    def get_permissions(self):
        if self.action == "create":
            return [CanSubmitArticles()]
        if self.action == "status":
            return [CanSeeArticleStatus()]
        return [AllowAny()]

    @extend_schema(
        summary="Upload an article",
        description=(
            "Needs a token (`Authorization: Token ...`) of an account with the permission "
            "claims.add_article. Send a .txt / .html `file` (multipart) or `text`. The upload "
            "is stored and answered at once: 202 with its status URL. A worker then reads it "
            "(decoding, the main text of an HTML page) and extracts the claims; the status URL "
            "says how far it got, and why when a file could not be read. The same file or URL "
            "sent again answers 200 with the existing article. Refused at once (400): an "
            "empty file, white space alone, an image, PDF or archive, or a file over the size "
            "limit."
        ),
        request={
            "multipart/form-data": serializers.ArticleUploadSerializer,
            "application/json": serializers.ArticleTextUploadSerializer,
        },
        responses={
            202: serializers.ArticleSubmissionSerializer,
            200: serializers.ArticleSubmissionSerializer,
            400: OpenApiResponse(description="The upload was refused; `fields` says why."),
        },
    )
    def create(self, request, *args, **kwargs):
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            submission = article_submit_upload(
                file=data.get("file"),
                text=data.get("text", ""),
                url=data["url"],
                title=data["title"],
                outlet_name=data["outlet"],
                author=data["author"],
                published=data["published"],
                uploaded_by=request.user,
            )
        except UploadError as exc:
            raise ValidationError({"file" if data.get("file") else "text": [str(exc)]}) from exc
        article = submission.article
        # With in-process tasks (no Redis) the worker has already run: say where it got.
        article.refresh_from_db(fields=["status"])
        status_url = request.build_absolute_uri(
            reverse("api:article-status", kwargs={"pk": article.pk})
        )
        body = serializers.ArticleSubmissionSerializer(
            {
                "id": article.pk,
                "created": submission.created,
                "message": submission.message,
                "status": article.status,
                "status_url": status_url,
            }
        ).data
        return Response(
            body,
            status=status.HTTP_202_ACCEPTED if submission.created else status.HTTP_200_OK,
            headers={"Location": status_url},
        )

    @extend_schema(
        summary="Where an upload stands",
        description="queued, reading (the upload is turned into text), parsing (claims are "
        "extracted), then parsed, failed (`error` says why: a file that is not text, an HTML "
        "page without article text, a parse that took too long) or duplicate (`error` names "
        "the article with the same text). For the uploader and editors only.",
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def status(self, request, *args, **kwargs):
        article = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        self.check_object_permissions(request, article)
        response = Response(self.get_serializer(article).data)
        response["Cache-Control"] = "private, no-cache"
        return response
