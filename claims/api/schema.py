"""How the OpenAPI schema describes our endpoints where drf-spectacular's defaults mislead,
and what the API answers, errors included (schemathesis checks it in tests/api/test_schema.py)."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny


class ClaimsiteAutoSchema(AutoSchema):
    """Operations anyone may call list no security requirement, so Swagger UI draws no lock
    on the public reads; only those that need a token (uploads, an upload's status) do."""

    def get_auth(self) -> list[dict[str, Any]]:
        if all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            return []
        return super().get_auth()


# Every error shares one body (claims/api/exceptions.py), and these can answer any
# operation: a bad parameter, a bad token, a missing object, an Accept we cannot render,
# the throttle, a database that is briefly away.
ERRORS_OF_EVERY_OPERATION = {
    "400": "A query parameter or field was refused; `fields` says which and why.",
    "401": "The token given is not valid.",
    "403": "The account may not do this.",
    "404": "No such object, or it is not public.",
    "406": "The Accept header asks for a format this operation does not give.",
    "429": "Too many requests: wait for the seconds in Retry-After.",
    "503": "The database is briefly unavailable: try again after Retry-After.",
}
ERRORS_OF_UPLOADS = {
    "413": "The body is larger than the upload limit.",
    "415": "The body's Content-Type is not one this operation reads.",
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["status", "code", "detail", "fields"],
}


# Pagination must be given a value when it is given at all (claims/api/pagination.py).
NOT_EMPTY_PARAMETERS = {"page", "page_size", "cursor"}


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the error body as a component, the errors each
    operation can answer with it, and filters that take an empty value as no filter (as
    django-filter does, and as the browsable API's filter form sends them)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] not in NOT_EMPTY_PARAMETERS:
                    parameter["allowEmptyValue"] = True
            errors = dict(ERRORS_OF_EVERY_OPERATION)
            if method in ("post", "put", "patch"):
                errors |= ERRORS_OF_UPLOADS
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result
