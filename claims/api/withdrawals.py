"""`/api/v1/claims/deletions/`: the tombstones of claims taken back from the public data, for
sync clients (issue 15). See claims/withdrawals.py for when they are written."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from claims.api.pagination import DeletionsCursorPagination
from claims.filtersets import ClaimWithdrawalFilterSet
from claims.models import ClaimWithdrawal
from claims.withdrawals import claim_withdrawal_list


class ClaimWithdrawalSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="claim_id", help_text="The withdrawn claim's id.")
    merged_into = serializers.IntegerField(
        source="merged_into_public_id",
        allow_null=True,
        read_only=True,
        help_text="For a merge: the approved claim it was merged into (its reports now "
        "include this claim's article).",
    )

    class Meta:
        model = ClaimWithdrawal
        fields = ["id", "withdrawn_at", "reason", "merged_into"]


class ClaimWithdrawalViewSet(viewsets.GenericViewSet):
    """Claims that were public and are not any more. A sync client replays the dump
    (`claims/dump/?updated_since=T`) and drops every id listed here with `since=T`."""

    serializer_class = ClaimWithdrawalSerializer
    filterset_class = ClaimWithdrawalFilterSet
    pagination_class = DeletionsCursorPagination

    def get_queryset(self):
        return claim_withdrawal_list()

    @extend_schema(
        summary="Claims withdrawn from the public data (tombstones)",
        description=(
            "Each claim that stopped being public (sent back to draft, corrected, rejected, "
            "merged into another claim, deleted), with when and why, oldest first: follow "
            "`next` until it is null. A claim approved again leaves this list and comes "
            "back through the dump. To sync: store the dump's rows "
            "(`claims/dump/?updated_since=T1`), then drop the ids listed here "
            "(`?since=T2`); next time T1 is the newest `updated_at` and T2 the newest "
            "`withdrawn_at` seen."
        ),
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
