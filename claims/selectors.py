"""Reads. Every public read starts from approved claims: drafts and rejected claims never
leave the admin."""

from django.db.models import QuerySet

from claims.models import Claim


def claim_list_public() -> QuerySet[Claim]:
    """Approved claims with everything a list shows, in one query."""
    return Claim.objects.filter(status=Claim.Status.APPROVED).select_related(
        "claimant", "battle", "article", "article__outlet"
    )
