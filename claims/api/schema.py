"""How the OpenAPI schema describes our endpoints, where drf-spectacular's defaults mislead."""

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
