"""Guards that must run before anything reads the request body."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse

# A multipart body carries the file plus boundaries, the CSRF token and the other fields.
FORM_OVERHEAD = 256 * 1024
# The bulk upload takes several files, up to ten times the limit together (admin_forms.py).
BULK_UPLOAD_FACTOR = 10


class RequestBodyLimitMiddleware:
    """Refuses a body larger than any upload we accept from its Content-Length alone, before
    the CSRF check or a view reads it: a 413 that states the limit, instead of Django's bare
    400 page (RequestDataTooBig) or a huge body spooled to a temporary file."""

    def __init__(self, get_response):
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
