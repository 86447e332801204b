"""Guards around every request: bodies too large to read, a database that is away."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)
GetResponse = Callable[[HttpRequest], HttpResponse]

# A multipart body carries the file plus boundaries, the CSRF token and the other fields.
FORM_OVERHEAD = 256 * 1024
# The bulk upload takes several files, up to ten times the limit together (admin_forms.py).
BULK_UPLOAD_FACTOR = 10


class RequestBodyLimitMiddleware:
    """Refuses a body larger than any upload we accept from its Content-Length alone, before
    the CSRF check or a view reads it: a 413 that states the limit, instead of Django's bare
    400 page (RequestDataTooBig) or a huge body spooled to a temporary file."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD
        if length > limit and request.path == reverse("admin:claims_article_bulk_upload"):
            limit = settings.UPLOAD_MAX_BYTES * BULK_UPLOAD_FACTOR + FORM_OVERHEAD
        if length <= limit:
            return self.get_response(request)
        detail = (
            f"The request is {length:,} bytes; an upload may be at most "
            f"{settings.UPLOAD_MAX_BYTES:,} bytes."
        )
        if request.path.startswith("/api/"):
            body = {"status": 413, "code": "request_too_large", "detail": detail, "fields": {}}
            return JsonResponse(body, status=413)
        html = render_to_string("413.html", {"detail": detail}, request=request)
        return HttpResponse(html, status=413)


class DatabaseUnavailableMiddleware:
    """While PostgreSQL restarts or is unreachable, requests get a short 503 with Retry-After
    (the API's error body under /api/) instead of a 500; they recover on their own once it is
    back (CONN_HEALTH_CHECKS drops the dead connections)."""

    RETRY_AFTER_SECONDS = 10

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        detail = "The database is briefly unavailable. Please try again in a few seconds."
        if request.path.startswith("/api/"):
            body = {"status": 503, "code": "unavailable", "detail": detail, "fields": {}}
            response: HttpResponse = JsonResponse(body, status=503)
        else:
            html = render_to_string("503.html", {"detail": detail})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
