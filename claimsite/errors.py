"""Error pages that know the API: under /api/ a 404 is the API's error body, not HTML."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A path no route matches (/api/v1/claims/abc/): JSON under /api/, the page elsewhere."""
    if request.path.startswith("/api/"):
        body = {"status": 404, "code": "not_found", "detail": "Not found.", "fields": {}}
        return JsonResponse(body, status=404)
    return page_not_found(request, exception)
