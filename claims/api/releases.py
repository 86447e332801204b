"""`/api/v1/releases/`: the published dataset releases and their files (issue 15)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from claims.models import DatasetRelease
from claims.releases import release_file_names


class DatasetReleaseSerializer(serializers.ModelSerializer):
    page_url = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = DatasetRelease
        fields = [
            "number",
            "published_at",
            "claims_count",
            "added_count",
            "corrected_count",
            "withdrawn_count",
            "page_url",
            "files",
        ]

    def get_page_url(self, release: DatasetRelease) -> str:
        return self.context["request"].build_absolute_uri(release.get_absolute_url())

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "bytes": {"type": "integer", "nullable": True},
                    "sha256": {"type": "string", "nullable": True},
                },
            },
        }
    )
    def get_files(self, release: DatasetRelease) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "name": name,
                "url": request.build_absolute_uri(
                    reverse("claims:release_download", args=[release.number, name])
                ),
                "bytes": release.files.get(name, {}).get("bytes"),
                "sha256": release.files.get(name, {}).get("sha256"),
            }
            for name in release_file_names(release)
        ]


class DatasetReleaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Numbered, immutable releases of the public data (Frictionless Data Packages),
    newest first, with what changed since the previous one and their files."""

    serializer_class = DatasetReleaseSerializer
    queryset = DatasetRelease.objects.order_by("-number")
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"
