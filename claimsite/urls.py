from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.urls")),
]

handler404 = "claimsite.errors.not_found"
