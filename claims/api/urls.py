"""Routes of /api/v1/: the public read API, uploads, the OpenAPI schema and its docs."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from claims.api import conflicts, releases, views, withdrawals

app_name = "api"

router = DefaultRouter()
router.APIRootView = views.ApiRootView
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("conflicts", conflicts.ConflictViewSet, basename="conflict")
# Claim ids are digits, so claims/deletions/ is never read as a claim.
router.register("claims/deletions", withdrawals.ClaimWithdrawalViewSet, basename="deletion")
router.register("battles", views.BattleViewSet, basename="battle")
router.register("sources", views.SourceViewSet, basename="source")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("releases", releases.DatasetReleaseViewSet, basename="release")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL: no inline script. Swagger
    # UI sets inline styles as it draws.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    # Redoc starts from an inline script, styles itself inline and runs a blob: worker; the
    # page holds no user data, so only it gets these.
    path(
        "redoc/",
        csp_update(
            {
                "script-src": [UNSAFE_INLINE],
                "style-src": [UNSAFE_INLINE],
                "worker-src": [SELF, "blob:"],
            }
        )(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    *router.urls,
]
