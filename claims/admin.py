"""The editors' whole tool: upload articles, work the review queue of draft claims, merge
duplicate reports. Another interface to the same services as the API and the commands: every
write here calls a service in claims.services or ingest.services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from claims.admin_forms import ArticleBulkUploadForm, ArticleUploadForm, ClaimRejectForm
from claims.admin_review import ArticleReviewScreen, SentenceChangeList, sentence_marked
from claims.models import Article, Battle, Claim, Conflict, Source
from claims.selectors import affiliation_label, side_choices
from claims.services import (
    CLAIM_EDITABLE_FIELDS,
    ReviewError,
    article_delete,
    claim_approve,
    claim_delete,
    claim_figure_problems,
    claim_mark_report_of,
    claim_next_for_review,
    claim_reject,
    claim_report_candidates,
    claim_return_to_draft,
    claim_update,
)
from ingest.manifest import ManifestEntry
from ingest.services import (
    UploadError,
    article_reparse,
    article_submit_file,
    article_submit_upload,
)

# The admin's own look, plus the marks on figures; served from our static files.
REVIEW_MEDIA = forms.Media(css={"all": ["admin_review/review.css"]})


admin.site.site_header = "claimsite review"
admin.site.site_title = "claimsite review"
admin.site.index_title = "Articles, claims and reference data"
# The claim list has nine columns; the navigation sidebar would push them off screen.
admin.site.enable_nav_sidebar = False


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows. The admin asks for the count on every page; a full
    COUNT(*) over a million claims costs more than the page itself. Past the cap the list
    says "10,000+" and deeper pages are reached by filtering, not by paging."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        # The admin pages a QuerySet; the stubs allow any sequence here.
        return self.object_list.order_by()[: self.COUNT_CAP + 1].count()  # type: ignore[attr-defined]

    @property
    def count_capped(self) -> bool:
        return self.count > self.COUNT_CAP


# --- Battles and sources --------------------------------------------------------------------


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "sides"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]


@admin.register(Battle)
class BattleAdmin(admin.ModelAdmin):
    list_display = ["name", "conflict", "start_date", "end_date"]
    list_filter = ["conflict"]
    list_select_related = ["conflict"]
    search_fields = ["name", "conflict__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["conflict__name", "start_date", "name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "affiliation", "role"]
    list_filter = ["kind", "affiliation"]
    search_fields = ["name", "slug", "role"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]


# --- Articles ---------------------------------------------------------------------------------


def article_body_highlighted(article: Article, claims) -> str:
    """The article body as HTML with every extracted figure marked and linked to its claim.
    Offsets index the body; overlapping or out-of-range spans are left unmarked."""
    body = article.body
    parts, position = [], 0
    for claim in sorted(claims, key=lambda c: (c.start_offset, c.end_offset)):
        start, end = claim.start_offset, claim.end_offset
        if start < position or end > len(body) or start >= end:
            continue
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        parts.append(escape(body[position:start]))
        parts.append(
            format_html(
                '<a class="figure figure-{}" href="{}" title="{} {} ({}), {}">{}</a>',
                claim.status,
                url,
                claim.figure_display,
                claim.get_category_display().lower(),
                claim.side,
                claim.get_status_display().lower(),
                body[start:end],
            )
        )
        position = end
    parts.append(escape(body[position:]))
    return mark_safe("".join(str(part) for part in parts))


class ClaimInline(admin.TabularInline):
    """An article's claims, read-only: they are reviewed on their own pages."""

    model = Claim
    fk_name = "article"
    extra = 0
    can_delete = False
    show_change_link = True
    view_on_site = False  # drafts have no public page
    fields = ["figure", "category", "side", "claimant", "battle", "confidence", "status"]
    # A flat list of names, which the stubs cannot tell from `fields`' nested form.
    readonly_fields = fields  # type: ignore[assignment]
    ordering = ["start_offset", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claimant", "battle")

    @admin.display(description="figure")
    def figure(self, claim: Claim) -> str:
        return claim.figure_display

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OutletFilter(admin.SimpleListFilter):
    """Media outlets only: the sources table is small, the articles table is not scanned."""

    title = "outlet"
    parameter_name = "outlet"

    def lookups(self, request, model_admin):
        return list(
            Source.objects.filter(kind=Source.Kind.MEDIA).order_by("name").values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.outlet_lookup: int(value)})
        return queryset

    outlet_lookup = "outlet_id"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outlet", "published_date", "status", "attempts", "created_at"]
    list_filter = ["status", OutletFilter]
    search_fields = ["title", "url", "original_filename"]
    list_select_related = ["outlet"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedCountPaginator
    ordering = ["-id"]
    inlines = [ClaimInline]
    actions = ["reparse_articles", "retry_failed_articles"]
    change_form_template = "admin/claims/article/change_form.html"
    change_list_template = "admin/claims/article/change_list.html"
    # The upload form already assumes https; so does the change form (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Metadata can be corrected; the text and its parsing state belong to the pipeline.
    metadata_fields = ["title", "url", "outlet", "author", "published_date"]
    pipeline_fields = [
        "status",
        "error",
        "attempts",
        "extractor_version",
        "parsed_at",
        "uploaded_by",
        "original_filename",
        "original_content_type",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        # Tuples: the stubs' type of these items does not take a list[str].
        (None, {"fields": tuple(metadata_fields)}),
        ("Parsing", {"fields": tuple(pipeline_fields)}),
        ("Text", {"fields": ["highlighted_body"]}),
    ]
    autocomplete_fields = ["outlet"]

    @property
    def media(self):
        return super().media + REVIEW_MEDIA

    # Deleting goes through the service, which leaves tombstones for the public claims.
    def delete_model(self, request, obj):
        article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article_id in queryset.values_list("pk", flat=True):
            article_delete(article=article_id, user=request.user)

    def get_queryset(self, request):
        # The list never shows the text or the original upload; don't load megabytes of it.
        return super().get_queryset(request).defer("body", "original_content")

    def get_object(self, request, object_id, from_field=None):
        # The article page shows the text (highlighted), so load it; the raw upload stays.
        try:
            return (
                Article.objects.select_related("outlet", "uploaded_by")
                .defer("original_content")
                .get(pk=int(object_id))
            )
        except (Article.DoesNotExist, ValueError, TypeError):
            return None

    def get_readonly_fields(self, request, obj=None):
        return [*self.pipeline_fields, "highlighted_body"]

    @admin.display(description="text, with the figures found in it")
    def highlighted_body(self, article: Article) -> str:
        claims = article.claims.only(
            "pk",
            "start_offset",
            "end_offset",
            "status",
            "category",
            "side",
            "qualifier",
            "figure_low",
            "figure_high",
        )
        return format_html(
            '<div class="article-body">{}</div>', article_body_highlighted(article, claims)
        )

    def view_on_site(self, article: Article) -> str | None:
        # The public article page lists approved claims only and is a 404 without them.
        if article.claims.filter(status=Claim.Status.APPROVED).exists():
            return article.get_absolute_url()
        return None

    # Uploading is the add permission; the same users may have articles parsed again.
    def has_reparse_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request)

    def get_urls(self):
        own = [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="claims_article_upload",
            ),
            path(
                "bulk-upload/",
                self.admin_site.admin_view(self.bulk_upload_view),
                name="claims_article_bulk_upload",
            ),
            path(
                "<int:object_id>/review/",
                self.admin_site.admin_view(ArticleReviewScreen(self)),
                name="claims_article_review",
            ),
            path(
                "<int:object_id>/reparse/",
                self.admin_site.admin_view(self.reparse_view),
                name="claims_article_reparse",
            ),
        ]
        return own + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        # "Add article" means uploading one: the text must go through the ingest service.
        return HttpResponseRedirect(reverse("admin:claims_article_upload"))

    def _page_context(self, request, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "media": self.media,
        }

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                submission = article_submit_upload(
                    file=data["file"],
                    text=data["text"],
                    url=data["url"],
                    title=data["title"],
                    outlet_name=data["outlet"],
                    author=data["author"],
                    published=data["published"],
                    uploaded_by=request.user,
                )
            except UploadError as exc:
                form.add_error(None, str(exc))
            else:
                if submission.created:
                    self.message_user(request, *self._submitted_message(submission))
                    return HttpResponseRedirect(
                        reverse("admin:claims_article_change", args=[submission.article.pk])
                    )
                self.message_user(request, self._duplicate_message(submission), messages.WARNING)
        context = {**self._page_context(request, "Upload an article"), "form": form}
        return TemplateResponse(request, "admin/claims/article/upload.html", context)

    @staticmethod
    def _submitted_message(submission) -> tuple[str, int]:
        """Queued, as a worker will read it; with in-process tasks (no Redis) the worker has
        already run, and a file it could not read says so at once."""
        article = submission.article
        article.refresh_from_db(fields=["status", "error"])
        if article.status == Article.Status.FAILED:
            return f"Article {article.pk} could not be read: {article.error}", messages.ERROR
        if article.status == Article.Status.DUPLICATE:
            return f"Article {article.pk}: {article.error}", messages.WARNING
        return submission.message, messages.SUCCESS

    @staticmethod
    def _duplicate_message(submission) -> str:
        article = submission.article
        return format_html(
            'Not added: <a href="{}">article {} ({})</a> already has {}.',
            reverse("admin:claims_article_change", args=[article.pk]),
            article.pk,
            article,
            submission.duplicate_reason,
        )

    def bulk_upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleBulkUploadForm(request.POST or None, request.FILES or None)
        results = []
        if request.method == "POST" and form.is_valid():
            manifest = form.cleaned_data["manifest"]
            for file in form.cleaned_data["files"]:
                entry = manifest.get(file.name, ManifestEntry())
                try:
                    submission = article_submit_file(
                        file=file,
                        outlet_name=entry.outlet or form.cleaned_data["outlet"],
                        published=entry.published or form.cleaned_data["published"],
                        url=entry.url,
                        title=entry.title,
                        uploaded_by=request.user,
                    )
                except UploadError as exc:
                    results.append({"name": file.name, "outcome": "refused", "message": str(exc)})
                    continue
                results.append(self._bulk_result(file.name, submission))
            counts = {
                outcome: sum(r["outcome"] == outcome for r in results)
                for outcome in ("new", "duplicate", "refused", "failed")
            }
            self.message_user(
                request,
                f"{counts['new']} new, {counts['duplicate']} duplicate, "
                f"{counts['refused']} refused"
                + (f", {counts['failed']} failed." if counts["failed"] else "."),
                messages.WARNING if counts["refused"] or counts["failed"] else messages.SUCCESS,
            )
            form = ArticleBulkUploadForm()
        context = {
            **self._page_context(request, "Upload several articles"),
            "form": form,
            "results": results,
        }
        return TemplateResponse(request, "admin/claims/article/bulk_upload.html", context)

    @staticmethod
    def _bulk_result(name: str, submission) -> dict:
        article = submission.article
        if not submission.created:
            reason = submission.duplicate_reason
            outcome, message = "duplicate", f"that article already has {reason}"
        else:
            # With in-process tasks (no Redis) the worker has already read the file.
            article.refresh_from_db(fields=["status", "error"])
            outcome, message = {
                Article.Status.FAILED: ("failed", article.error),
                Article.Status.DUPLICATE: ("duplicate", article.error),
            }.get(article.status, ("new", ""))
        return {"name": name, "outcome": outcome, "article": article, "message": message}

    def reparse_view(self, request, object_id: int):
        article = get_object_or_404(Article.objects.only("pk", "status"), pk=object_id)
        if request.method != "POST" or not self.has_reparse_permission(request, article):
            raise PermissionDenied
        self._reparse(request, [article.pk])
        return HttpResponseRedirect(reverse("admin:claims_article_change", args=[article.pk]))

    def _reparse(self, request, article_ids: list[int]) -> None:
        count = article_reparse(article_ids=article_ids)
        self.message_user(
            request,
            f"{count} article(s) queued for parsing again. Only their draft claims will be "
            "replaced; approved and rejected claims stay.",
            messages.SUCCESS,
        )

    @admin.action(description="Re-parse (replaces draft claims only)", permissions=["reparse"])
    def reparse_articles(self, request, queryset):
        self._reparse(request, list(queryset.values_list("pk", flat=True)))

    @admin.action(description="Retry failed articles", permissions=["reparse"])
    def retry_failed_articles(self, request, queryset):
        failed = list(queryset.filter(status=Article.Status.FAILED).values_list("pk", flat=True))
        if not failed:
            self.message_user(request, "None of the selected articles failed.", messages.INFO)
            return
        self._reparse(request, failed)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = Article.objects.filter(pk=object_id).only("pk", "status").first()
        extra_context = {
            **(extra_context or {}),
            # Queued, reading or parsing: the page reloads itself until the work is done.
            "refresh_seconds": 3
            if article and article.status in Article.WAITING_STATUSES
            else None,
            "can_reparse": self.has_reparse_permission(request, article),
        }
        return super().change_view(request, object_id, form_url, extra_context)


# --- Claims -----------------------------------------------------------------------------------


class ReviewStatusFilter(admin.SimpleListFilter):
    """Opens on the review queue: drafts unless another status (or all) is chosen."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Claim.Status.choices, (self.ALL, "All")]

    def value(self) -> str:
        value = super().value()
        return value if value in (*Claim.Status.values, self.ALL) else Claim.Status.DRAFT

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class SideFilter(admin.SimpleListFilter):
    title = "side"
    parameter_name = "side"

    def lookups(self, request, model_admin):
        # Any side is accepted in the URL; one not among the choices is offered too.
        sides = side_choices()
        value = self.value()
        if value and value not in dict(sides):
            sides.append((value, affiliation_label(value)))
        return sides

    def queryset(self, request, queryset):
        return queryset.filter(side=self.value()) if self.value() else queryset


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"
    BANDS = {
        "high": ("high (0.8 and above)", Q(confidence__gte=0.8)),
        "medium": ("medium (0.5 to 0.8)", Q(confidence__gte=0.5, confidence__lt=0.8)),
        "low": ("low (below 0.5)", Q(confidence__lt=0.5)),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.BANDS.items()]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        return queryset.filter(band[1]) if band else queryset


class ArticleOutletFilter(OutletFilter):
    title = "article outlet"
    parameter_name = "outlet"
    outlet_lookup = "article__outlet_id"


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = [
        "figure",
        "sentence",
        "category",
        "side_label",
        "claimant",
        "battle",
        "claim_date",
        "confidence",
        "article_link",
        "status",
    ]
    list_display_links = ["figure"]
    list_filter = [
        ReviewStatusFilter,
        "battle",
        SideFilter,
        "category",
        "qualifier",
        "claimant",
        ConfidenceFilter,
        ArticleOutletFilter,
    ]
    search_fields = ["excerpt", "claimant__name", "article__title"]
    list_select_related = ["claimant", "battle", "article"]
    list_per_page = 50
    # Only columns an index can sort at a million rows; the rest would sort the whole table.
    sortable_by = ["claim_date", "article_link", "confidence"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedCountPaginator
    # The review queue's order; the (status, article) index serves it.
    ordering = ["article_id", "start_offset", "id"]
    actions = ["approve_claims", "reject_claims", "return_claims_to_draft"]
    autocomplete_fields = ["claimant", "battle", "conflict"]
    raw_id_fields = ["part_of"]
    change_form_template = "admin/claims/claim/change_form.html"
    change_list_template = "admin/claims/claim/change_list.html"
    fieldsets = [
        ("Figure", {"fields": [("qualifier", "figure_low", "figure_high"), "category", "side"]}),
        (
            "Details",
            {
                "fields": [
                    "unit",
                    "basis",
                    "claimant",
                    "battle",
                    "conflict",
                    ("claim_date", "claim_date_precision"),
                ]
            },
        ),
        (
            "Period and parts",
            {"fields": [("period_start", "period_end", "period_kind"), "part_of"]},
        ),
        (
            "Review",
            {"fields": ["status", "reviewed_by", "reviewed_at", "review_note"]},
        ),
        (
            "Source",
            {"fields": ["article_link", "reports", "extractor_version", "created_at"]},
        ),
    ]
    readonly_fields = [
        "status",
        "reviewed_by",
        "reviewed_at",
        "article_link",
        "reports",
        "extractor_version",
        "created_at",
    ]
    # Largest batch one action may change; select-all over a million rows must not run
    # a million transactions inside one request.
    ACTION_LIMIT = 500

    @property
    def media(self):
        return super().media + REVIEW_MEDIA

    def changelist_view(self, request, extra_context=None):
        # "Doubtful first" is the confidence column sorted upwards (the draft least likely to
        # be right on top), as a link that keeps the filters. The column's number in the URL
        # depends on whether the user has actions (their checkbox is column 0).
        columns = ["action_checkbox"] if self.get_actions(request) else []
        columns += list(self.get_list_display(request))
        doubtful = request.GET.copy()
        doubtful[ORDER_VAR] = str(columns.index("confidence"))
        doubtful.pop(PAGE_VAR, None)
        queue = request.GET.copy()
        queue.pop(ORDER_VAR, None)
        queue.pop(PAGE_VAR, None)
        context = {
            "doubtful_first": request.GET.get(ORDER_VAR) == doubtful[ORDER_VAR],
            "doubtful_first_query": doubtful.urlencode(),
            "queue_order_query": queue.urlencode(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_queryset(self, request):
        # Rows show the article's title only: leave its text and original upload in the table.
        return (
            super()
            .get_queryset(request)
            .defer("article__body", "article__original_content", "extraction_notes")
        )

    def get_changelist(self, request, **kwargs):
        return SentenceChangeList

    def get_object(self, request, object_id, from_field=None):
        # The change page shows the excerpt and notes: load the claim in full.
        try:
            return (
                Claim.objects.select_related("article", "claimant", "battle", "reviewed_by")
                .defer("article__original_content")
                .get(pk=int(object_id))
            )
        except (Claim.DoesNotExist, ValueError, TypeError):
            return None

    @admin.display(description="figure", ordering="figure_low")
    def figure(self, claim: Claim) -> str:
        return claim.figure_display

    @admin.display(description="sentence (opens the article's review screen)")
    def sentence(self, claim: Claim) -> str:
        url = reverse("admin:claims_article_review", args=[claim.article_id])
        return format_html(
            '<a class="queue-sentence" href="{}?selected={}#claim-{}">{}</a>',
            url,
            claim.pk,
            claim.pk,
            sentence_marked(
                excerpt=claim.excerpt, figure_text=getattr(claim, "figure_text", "") or ""
            ),
        )

    @admin.display(description="whose losses", ordering="side")
    def side_label(self, claim: Claim) -> str:
        return affiliation_label(claim.side)

    def view_on_site(self, claim: Claim) -> str | None:
        # Only approved claims have a public page; a link to a 404 helps nobody.
        return claim.get_absolute_url() if claim.status == Claim.Status.APPROVED else None

    @admin.display(description="article", ordering="article_id")
    def article_link(self, claim: Claim) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:claims_article_change", args=[claim.article_id]),
            claim.article.title or f"Article {claim.article_id}",
        )

    @admin.display(description="also reported by")
    def reports(self, claim: Claim) -> str:
        articles = list(claim.reported_by.only("pk", "title"))
        if not articles:
            return "—"
        return format_html(
            "<br>".join(["{}"] * len(articles)),
            *[
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:claims_article_change", args=[article.pk]),
                    article,
                )
                for article in articles
            ],
        )

    # Claims come from articles (the extractor); a claim typed in by hand would have no
    # excerpt or offsets in any article.
    def has_add_permission(self, request) -> bool:
        return False

    # Approving and rejecting are their own permissions (issue 4), not "change".
    def has_approve_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("claims.approve_claim")

    def has_reject_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("claims.reject_claim")

    # History can be viewed; reverting would bypass the review services.
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        # simple_history's list has one inline style attribute; no script is allowed inline.
        response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Deleting goes through the service, which leaves a tombstone for a public claim.
    def delete_model(self, request, obj):
        claim_delete(claim=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for claim_id in queryset.values_list("pk", flat=True):
            claim_delete(claim=claim_id, user=request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in CLAIM_EDITABLE_FIELDS
        }
        try:
            claim_update(claim=obj, user=request.user, data=data)
        except ReviewError as exc:
            # The form validated the same rules, so this is a race; say so on the next page.
            request._review_error = str(exc)
        obj.refresh_from_db()

    def response_change(self, request, obj):
        error = getattr(request, "_review_error", None)
        if error:
            self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(request.path)
        post = request.POST
        try:
            if "_approve" in post or "_approve_next" in post:
                claim_approve(claim=obj, user=request.user)
                self.message_user(request, f"Approved: {obj}.", messages.SUCCESS)
            elif "_reject_next" in post:
                claim_reject(claim=obj, user=request.user, reason=post.get("review_note", ""))
                self.message_user(request, f"Rejected: {obj}.", messages.SUCCESS)
            elif "_back_to_draft" in post:
                claim_return_to_draft(claim=obj, user=request.user)
                self.message_user(request, f"Back in the review queue: {obj}.", messages.SUCCESS)
            elif "_report_of" in post:
                original = claim_mark_report_of(
                    claim=obj, original=int(post["_report_of"]), user=request.user
                )
                self.message_user(
                    request,
                    f"Marked as another report of claim {original.pk}; this one is rejected.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:claims_claim_change", args=[original.pk])
                )
            else:
                return super().response_change(request, obj)
        except (ReviewError, PermissionDenied, ValueError) as exc:
            self.message_user(request, str(exc) or "Not allowed.", messages.ERROR)
            return HttpResponseRedirect(request.path)
        if "_approve_next" in post or "_reject_next" in post:
            return self._redirect_to_next(request, obj)
        return HttpResponseRedirect(request.path)

    def _redirect_to_next(self, request, claim: Claim):
        following = claim_next_for_review(after=claim)
        if following is None:
            self.message_user(request, "The review queue is empty.", messages.INFO)
            return HttpResponseRedirect(reverse("admin:claims_claim_changelist"))
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[following.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra = {}
        if claim is not None:
            extra = {
                "paragraph": claim_paragraph_highlighted(claim),
                "extracted_rows": claim_extracted_rows(claim),
                "figure_problems": claim_figure_problems(claim=claim),
                "report_candidates": list(claim_report_candidates(claim=claim)[:5])
                if claim.status == Claim.Status.DRAFT
                else [],
                "recent_history": claim.history.select_related("history_user").order_by(
                    "-history_date", "-history_id"
                )[:8],
                "can_approve": self.has_approve_permission(request, claim),
                "can_reject": self.has_reject_permission(request, claim),
                "can_change": self.has_change_permission(request, claim),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def _run_action(self, request, queryset, action, done: str, **kwargs) -> None:
        ids = list(queryset.values_list("pk", flat=True)[: self.ACTION_LIMIT + 1])
        if len(ids) > self.ACTION_LIMIT:
            self.message_user(
                request,
                f"Select at most {self.ACTION_LIMIT} claims at a time; nothing was changed.",
                messages.ERROR,
            )
            return
        succeeded, refused = 0, []
        for claim_id in ids:
            try:
                action(claim=claim_id, user=request.user, **kwargs)
                succeeded += 1
            except (ReviewError, PermissionDenied) as exc:
                refused.append(str(exc))
        if succeeded:
            self.message_user(request, f"{succeeded} claim(s) {done}.", messages.SUCCESS)
        if refused:
            shown = " ".join(refused[:5]) + (
                f" (+{len(refused) - 5} more)" if len(refused) > 5 else ""
            )
            self.message_user(request, f"{len(refused)} refused: {shown}", messages.ERROR)

    @admin.action(description="Approve selected claims", permissions=["approve"])
    def approve_claims(self, request, queryset):
        self._run_action(request, queryset, claim_approve, "approved")

    @admin.action(description="Reject selected claims (asks for a reason)", permissions=["reject"])
    def reject_claims(self, request, queryset):
        form = ClaimRejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._run_action(
                request, queryset, claim_reject, "rejected", reason=form.cleaned_data["reason"]
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Reject claims",
            "form": form,
            "claims": queryset.select_related("claimant", "battle")[: self.ACTION_LIMIT],
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": "reject_claims",
            "query_string": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/claims/claim/reject.html", context)

    @admin.action(description="Send selected claims back to draft", permissions=["change"])
    def return_claims_to_draft(self, request, queryset):
        self._run_action(request, queryset, claim_return_to_draft, "sent back to draft")


def claim_paragraph_highlighted(claim: Claim) -> str:
    """The paragraph of the article that holds the claim's figure, with the figure marked.
    Falls back to the excerpt when the offsets do not fit the body."""
    body = claim.article.body
    start, end = claim.start_offset, claim.end_offset
    if not (0 <= start < end <= len(body)):
        return format_html("<p>{}</p>", claim.excerpt)
    para_start = body.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = body.find("\n\n", end)
    para_end = len(body) if para_end < 0 else para_end
    return format_html(
        '<p class="paragraph">{}<mark class="figure">{}</mark>{}</p>',
        body[para_start:start],
        body[start:end],
        body[end:para_end],
    )


# What the extractor said, next to what the claim says now (only the fields it knows).
EXTRACTED_FIELDS = [
    ("figure_low", "low figure"),
    ("figure_high", "high figure"),
    ("qualifier", "qualifier"),
    ("category", "category"),
    ("side", "side"),
    ("unit", "unit"),
    ("claimant", "claimant"),
    ("battle", "battle"),
    ("claim_date", "claim date"),
    ("period_start", "period start"),
    ("period_end", "period end"),
    ("period_kind", "period kind"),
    ("basis", "basis"),
]


def claim_extracted_rows(claim: Claim) -> list[dict]:
    """Rows of (field, extracted value, current value, changed?) for the claim page."""
    if not claim.extracted_values:
        return []
    rows = []
    for name, label in EXTRACTED_FIELDS:
        if name not in claim.extracted_values:
            continue
        extracted = claim.extracted_values[name]
        current = getattr(claim, name)
        if name in ("claimant", "battle"):
            current = current.name if current else None
        elif hasattr(current, "isoformat"):
            current = current.isoformat()
        rows.append(
            {
                "label": label,
                "extracted": "—" if extracted in (None, "") else extracted,
                "current": "—" if current in (None, "") else current,
                "changed": (extracted or None) != (current or None),
            }
        )
    return rows
