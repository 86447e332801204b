"""One error body for every API error:

    {"status": 400, "code": "invalid", "detail": "side: ...", "fields": {"side": ["..."]}}

`fields` names each query parameter or body field that was refused and why; it is empty
when the error is not about a field (not found, not authenticated, throttled)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler


def query_parameter_error(name: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({name: [message]})


def _flatten(detail: object) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)]


def api_exception_handler(exc, context):
    # Django's own exceptions become DRF's, as DRF's handler does, so they get a code too.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling and logging take over
    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        general: list[str] = []
        for name, messages in exc.detail.items():
            if name == "non_field_errors":
                general = _flatten(messages)
            else:
                fields[str(name)] = _flatten(messages)
        detail = "; ".join(general + [f"{name}: {' '.join(msgs)}" for name, msgs in fields.items()])
        code = "invalid"
    else:
        flat = _flatten(getattr(exc, "detail", str(exc)))
        detail = " ".join(flat)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
    response.data = {
        "status": response.status_code,
        "code": code,
        "detail": detail or "The request was refused.",
        "fields": fields,
    }
    # An error is JSON even when the request asked for CSV or NDJSON: a CSV of an error would
    # be mistaken for data.
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and renderer.format in ("csv", "ndjson"):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response
