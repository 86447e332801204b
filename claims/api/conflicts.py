"""Conflicts through the API (issue 14): the list, one conflict, and its war-wide claims
tabulated as a battle's are (`summary/`)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from claims import conflict_selectors
from claims.api import serializers
from claims.api.pagination import StandardPagination
from claims.api.views import Computed, ConditionalGetMixin, PublicCacheMixin
from claims.models import Conflict


class ConflictViewSet(ConditionalGetMixin, PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
    """Conflicts with the number of approved claims about each (war-wide or per battle)."""

    serializer_class = serializers.ConflictSerializer
    pagination_class = StandardPagination
    lookup_field = "slug"

    def get_queryset(self):
        return conflict_selectors.conflict_list_public()

    @extend_schema(
        summary="A conflict's war-wide claims tabulated",
        description=(
            "War-wide claims (about no single battle), per category and side: the number of "
            "approved claims, the lowest and highest figures claimed, the latest claim and "
            "each claimant's latest claim; then the conflict's battles with their counts."
        ),
        responses=serializers.ConflictSummarySerializer,
    )
    @action(detail=True)
    def summary(self, request, *args, **kwargs):
        context = self.get_serializer_context()

        def summarise() -> Computed:
            # An unknown slug raises its 404 before anything is cached.
            conflict = get_object_or_404(Conflict, slug=kwargs["slug"])
            summary = conflict_selectors.conflict_summary(conflict=conflict)
            return serializers.ConflictSummarySerializer(summary, context=context).data, None

        return self.public_answer(request, summarise)
