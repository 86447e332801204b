"""Tombstones of claims taken back from the public data (issue 15), and the public read of them.

A sync client copies approved claims with `claims/dump/?updated_since=` and drops those listed
by `claims/deletions/?since=`. For that to end with exactly the public set:
- a claim that stops being public leaves a tombstone (the review services call
  `claim_withdrawal_record` inside their transaction, before the change);
- a claim approved again loses its tombstone (`claim_withdrawal_clear`), and its new
  `updated_at` brings it back through the dump;
- claims whose public representation shows the withdrawn claim (its parts show its id as
  `parent`; claims list the articles reporting them) get a new `updated_at`, so the dump
  sends them again.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from claims.models import Claim, ClaimWithdrawal


def claim_withdrawal_record(
    *,
    claims: Iterable[Claim],
    reason: ClaimWithdrawal.Reason,
    merged_into: Claim | None = None,
) -> None:
    """Records that `claims` are leaving the public data, as of now. Approved ones get a
    tombstone (or theirs is renewed); for the others only an existing tombstone is renewed
    with the new reason (a claim sent back to draft and then deleted ends as "deleted"), so
    a claim that was never public is never named."""
    claims = list(claims)
    if not claims:
        return
    now = timezone.now()
    merged_into_id = merged_into.pk if merged_into is not None else None
    public_ids = [claim.pk for claim in claims if claim.status == Claim.Status.APPROVED]
    other_ids = [claim.pk for claim in claims if claim.status != Claim.Status.APPROVED]
    ClaimWithdrawal.objects.bulk_create(
        [
            ClaimWithdrawal(
                claim_id=pk, withdrawn_at=now, reason=reason, merged_into_id=merged_into_id
            )
            for pk in public_ids
        ],
        update_conflicts=True,
        unique_fields=["claim_id"],
        update_fields=["withdrawn_at", "reason", "merged_into_id"],
    )
    if other_ids:
        ClaimWithdrawal.objects.filter(claim_id__in=other_ids).update(
            withdrawn_at=now, reason=reason, merged_into_id=merged_into_id
        )
    claim_parts_touch(claim_ids=public_ids, now=now)


def claim_withdrawal_clear(*, claim: Claim) -> None:
    """The claim is public again: no tombstone may contradict the dump."""
    ClaimWithdrawal.objects.filter(claim_id=claim.pk).delete()
    claim_parts_touch(claim_ids=[claim.pk], now=timezone.now())


def claim_parts_touch(*, claim_ids: list[int], now: datetime) -> None:
    """The approved parts of these claims show whether their parent is public (`parent`);
    a new updated_at sends them through the dump again."""
    if claim_ids:
        Claim.objects.filter(part_of_id__in=claim_ids, status=Claim.Status.APPROVED).update(
            updated_at=now
        )


def claim_withdrawal_list(*, since: datetime | None = None) -> QuerySet[ClaimWithdrawal]:
    """Tombstones, oldest first, those renewed at or after `since` when given. `merged_into`
    is annotated as `merged_into_public_id`, only while that claim is approved: a draft's id
    is never revealed."""
    tombstones = ClaimWithdrawal.objects.all()
    if since is not None:
        tombstones = tombstones.filter(withdrawn_at__gte=since)
    public_target = Claim.objects.filter(
        pk=OuterRef("merged_into_id"), status=Claim.Status.APPROVED
    )
    return tombstones.annotate(
        merged_into_public_id=Subquery(public_target.order_by().values("pk")[:1])
    ).order_by("withdrawn_at", "claim_id")
