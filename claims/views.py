"""The researcher pages: thin views over claims.selectors and the shared ClaimFilterSet."""

import functools
from collections.abc import Callable, Collection
from typing import Concatenate, ParamSpec

from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from claims import conflict_selectors, selectors
from claims.assessment import claim_contested_list
from claims.dataset import DATA_ATTRIBUTION, DATA_LICENCE
from claims.exports import StartedExport, battle_page_csv
from claims.filtersets import ClaimFilterSet
from claims.models import Battle, Claim, Conflict
from claims.public_cache import public_cached, request_cache_key
from claims.structured_data import claim_json_ld

CLAIMS_PER_PAGE = 50
# The battle page owns these parameters; everything else in the query string is a filter.
PAGE_PARAMETERS = ("sort", "page", "battle")
BATTLE_PAGE_PARAMETERS = frozenset(PAGE_PARAMETERS) | frozenset(ClaimFilterSet.base_filters)
P = ParamSpec("P")


def _battle_filterset(request: HttpRequest, battle: Battle) -> ClaimFilterSet:
    data = request.GET.copy()
    for name in PAGE_PARAMETERS:
        data.pop(name, None)
    return ClaimFilterSet(data=data, queryset=selectors.battle_claim_list(battle=battle))


def _filtered(filterset: ClaimFilterSet):
    # A filter that does not validate shows its message and no rows: silently dropping it
    # would show a researcher unfiltered numbers as if they were filtered.
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def cached_for_anonymous(
    *, params: Collection[str] = ()
) -> Callable[
    [Callable[Concatenate[HttpRequest, P], HttpResponse]],
    Callable[Concatenate[HttpRequest, P], HttpResponse],
]:
    """Serves a page to anonymous visitors from the public cache until the data changes:
    everyone without an account sees the same page. Signed-in users (reviewers see drafts
    and links to the admin) always get it fresh. Only successful answers to queries of the
    page's own `params` are kept (request_cache_key)."""

    def decorate(
        view: Callable[Concatenate[HttpRequest, P], HttpResponse],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if request.user.is_authenticated:
                response = view(request, *args, **kwargs)
                # It may show drafts and links to the admin: no shared cache may keep it.
                patch_cache_control(response, private=True)
                return response
            key = request_cache_key(request, params=params)
            return public_cached(
                None if key is None else key._replace(name="page:" + key.name),
                lambda: view(request, *args, **kwargs),
                keep=lambda response: response.status_code == 200 and not response.streaming,
            )

        return wrapper

    return decorate


@require_safe
@cached_for_anonymous()
def home(request: HttpRequest) -> HttpResponse:
    conflicts = conflict_selectors.conflict_list_with_battles()
    return render(request, "claims/home.html", {"conflicts": conflicts})


@require_safe
@cached_for_anonymous(params=("page",))
def conflict_detail(request: HttpRequest, slug: str) -> HttpResponse:
    conflict = get_object_or_404(Conflict, slug=slug)
    # The page compares the most recently active claimants only: loading the latest claim of
    # every claimant of half a million claims cost a third of the page's time.
    summary = conflict_selectors.conflict_summary(
        conflict=conflict, claimants_per_group=conflict_selectors.CLAIMANTS_PER_GROUP
    )
    war_wide = conflict_selectors.conflict_war_wide_claims(conflict=conflict)
    ordered_ids = selectors.claim_list_sorted(
        claims=war_wide, sort=selectors.DEFAULT_CLAIM_SORT
    ).values_list("id", flat=True)
    paginator = Paginator(ordered_ids, CLAIMS_PER_PAGE)
    # The summary counted them already: counting half a million rows again costs 0.2 s.
    paginator.count = summary["claims_count"]
    page = paginator.get_page(request.GET.get("page"))
    # The page is cut from the ids, then shows the claims they name: a page of another type.
    page.object_list = selectors.claim_list_in_order(  # type: ignore[assignment]
        ids=list(page.object_list)
    )
    chart_points = conflict_selectors.conflict_timeline_points(conflict=conflict, claims=war_wide)
    context = {
        "conflict": conflict,
        "summary": summary,
        "claimants_shown": conflict_selectors.CLAIMANTS_PER_GROUP,
        "page": page,
        "chart_points": chart_points,
        "chart_truncated": len(chart_points) >= selectors.CHART_POINT_LIMIT,
        "chart_limit": selectors.CHART_POINT_LIMIT,
        "chart_unplaced": selectors.claim_unplaced_count(claims=war_wide),
    }
    return render(request, "claims/conflict_detail.html", context)


@require_safe
@cached_for_anonymous(params=BATTLE_PAGE_PARAMETERS)
def battle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    battle = get_object_or_404(Battle.objects.select_related("conflict"), slug=slug)
    filterset = _battle_filterset(request, battle)
    claims = _filtered(filterset)
    sort = request.GET.get("sort", selectors.DEFAULT_CLAIM_SORT)
    if sort not in selectors.CLAIM_SORTS:
        sort = selectors.DEFAULT_CLAIM_SORT
    ordered_ids = selectors.claim_list_sorted(claims=claims, sort=sort).values_list("id", flat=True)
    page = Paginator(ordered_ids, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    # The page is cut from the ids, then shows the claims they name: a page of another type.
    page.object_list = selectors.claim_list_in_order(  # type: ignore[assignment]
        ids=list(page.object_list)
    )
    chart_points = selectors.battle_chart_points(claims=claims)
    latest = selectors.claim_latest_per_claimant(claims=claims)
    chart_unplaced = selectors.claim_unplaced_count(claims=claims)
    context = {
        "battle": battle,
        "filterset": filterset,
        "choices": selectors.battle_filter_choices(battle=battle),
        "categories": Claim.Category.choices,
        "qualifiers": Claim.Qualifier.choices,
        "bases": Claim.Basis.choices,
        "page": page,
        "sort": sort,
        "latest_per_claimant": latest,
        "comparison_truncated": len(latest) >= selectors.COMPARISON_LIMIT,
        "chart_points": chart_points,
        "chart_truncated": len(chart_points) >= selectors.CHART_POINT_LIMIT,
        "chart_limit": selectors.CHART_POINT_LIMIT,
        "chart_unplaced": chart_unplaced,
    }
    # A filter that does not validate: the page shows why, as a 400 (and is not cached).
    return render(
        request, "claims/battle_detail.html", context, status=200 if filterset.is_valid() else 400
    )


@require_safe
def battle_claims_csv(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    """Every row the battle page's filters select (all pages), in the page's order."""
    battle = get_object_or_404(Battle, slug=slug)
    filterset = _battle_filterset(request, battle)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()
        )
        return HttpResponse(
            f"Bad filter: {problems}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    claims = selectors.claim_list_sorted(
        claims=filterset.qs, sort=request.GET.get("sort", selectors.DEFAULT_CLAIM_SORT)
    )
    site = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        StartedExport(battle_page_csv(claims, site=site)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{battle.slug}-claims.csv"'
    return response


def _may_review(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and (
        user.has_perm("claims.approve_claim") or user.has_perm("claims.reject_claim")
    )


@require_safe
@cached_for_anonymous()
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get_public(claim_id=claim_id, include_unreviewed=_may_review(request))
    if claim is None:
        raise Http404("No such approved claim.")
    part_of = claim.part_of
    if part_of is not None and part_of.status != Claim.Status.APPROVED:
        part_of = None
    context = {
        "claim": claim,
        "part_of": part_of,
        "history": selectors.claim_public_history(claim=claim),
        "conflicts": claim_contested_list(claim=claim),
        # Reviewers' drafts are not published: no structured data for search engines.
        "json_ld": claim_json_ld(claim=claim, absolute=request.build_absolute_uri)
        if claim.status == Claim.Status.APPROVED
        else None,
        # An approved claim makes its article public; a reviewer's draft may not.
        "article_is_public": claim.status == Claim.Status.APPROVED
        or selectors.article_list_public().filter(pk=claim.article_id).exists(),
    }
    return render(request, "claims/claim_detail.html", context)


@require_safe
@cached_for_anonymous(params=("page",))
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(selectors.source_list_visible(), slug=slug)
    claims = selectors.source_claim_list(source=source)
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    chart_points = selectors.source_chart_points(source=source, claims=claims)
    context = {
        "source": source,
        "page": page,
        "chart_points": chart_points,
        "chart_unplaced": selectors.claim_unplaced_count(claims=claims),
        "chart_truncated": len(chart_points) >= selectors.CHART_POINT_LIMIT,
        "chart_limit": selectors.CHART_POINT_LIMIT,
    }
    return render(request, "claims/source_detail.html", context)


@require_safe
@cached_for_anonymous()
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.article_get_public(article_id=article_id)
    if article is None:
        raise Http404("No such article with approved claims.")
    return render(request, "claims/article_detail.html", {"article": article})


@require_safe
@cached_for_anonymous(params=("q",))
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    results = selectors.search_everything(query=query)
    return render(request, "claims/search.html", {"query": query.strip(), **results})


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": Claim.Category.choices,
        "qualifiers": Claim.Qualifier.choices,
        "bases": Claim.Basis.choices,
        "data_licence": DATA_LICENCE,
        "data_attribution": DATA_ATTRIBUTION,
    }
    return render(request, "claims/about.html", context)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (JSON answers, the admin's
    login redirect, ...). A temporary redirect: the icon's static URL changes with its content."""
    return HttpResponseRedirect(static("claims/favicon.svg"))
