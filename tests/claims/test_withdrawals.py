"""Tombstones: every way a public claim is taken back leaves one, with its reason; a claim that
was never public leaves none; approving again removes it (issue 15)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from claims.models import Claim, ClaimWithdrawal
from claims.services import (
    article_delete,
    claim_approve,
    claim_delete,
    claim_mark_report_of,
    claim_reject,
    claim_return_to_draft,
    claim_update,
)
from claims.withdrawals import claim_withdrawal_list
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


def tombstone(claim_id: int) -> ClaimWithdrawal:
    return ClaimWithdrawal.objects.get(claim_id=claim_id)


def test_sending_a_public_claim_back_to_draft_leaves_a_tombstone(editor):
    claim = approved()
    before = timezone.now()

    claim_return_to_draft(claim=claim, user=editor)

    record = tombstone(claim.pk)
    assert record.reason == ClaimWithdrawal.Reason.RETURNED_TO_DRAFT
    assert record.withdrawn_at >= before
    assert record.merged_into_id is None


def test_correcting_a_public_claim_leaves_a_corrected_tombstone(editor):
    claim = approved(figure_low=300, figure_high=300)
    claim_update(claim=claim, user=editor, data={"figure_low": 400, "figure_high": 400})
    assert tombstone(claim.pk).reason == ClaimWithdrawal.Reason.CORRECTED


def test_a_note_alone_does_not_withdraw_a_public_claim(editor):
    claim = approved()
    claim_update(claim=claim, user=editor, data={"review_note": "source checked twice"})
    assert not ClaimWithdrawal.objects.exists()


def test_merging_a_public_claim_names_the_claim_it_went_into(editor):
    original, copy = approved(), approved()
    claim_mark_report_of(claim=copy, original=original, user=editor)
    record = tombstone(copy.pk)
    assert record.reason == ClaimWithdrawal.Reason.MERGED
    assert record.merged_into_id == original.pk


def test_deleting_a_public_claim_leaves_a_deleted_tombstone(superuser):
    claim = approved()
    claim_delete(claim=claim, user=superuser)
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert tombstone(claim.pk).reason == ClaimWithdrawal.Reason.DELETED


def test_deleting_needs_the_delete_permission(editor):
    claim = approved()
    with pytest.raises(PermissionDenied):
        claim_delete(claim=claim, user=editor)
    with pytest.raises(PermissionDenied):
        article_delete(article=claim.article, user=editor)
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert not ClaimWithdrawal.objects.exists()


def test_deleting_an_article_leaves_tombstones_for_its_public_claims_only(superuser):
    article = ArticleFactory()
    public = approved(article=article)
    draft = ClaimFactory(article=article)
    reported = approved()
    reported.reported_by.add(article)
    stamp = timezone.now() - timedelta(days=1)
    Claim.objects.filter(pk=reported.pk).update(updated_at=stamp)

    article_delete(article=article, user=superuser)

    assert list(ClaimWithdrawal.objects.values_list("claim_id", "reason")) == [
        (public.pk, ClaimWithdrawal.Reason.DELETED)
    ]
    assert not Claim.objects.filter(pk=draft.pk).exists()
    reported.refresh_from_db()
    # It lost a report: the dump must send it again.
    assert reported.updated_at > stamp
    assert list(reported.reported_by.all()) == []


def test_a_claim_that_was_never_public_leaves_no_tombstone(editor, superuser):
    rejected, merged, deleted, original = ClaimFactory(), ClaimFactory(), ClaimFactory(), approved()
    claim_reject(claim=rejected, user=editor, reason="a misread headline")
    claim_mark_report_of(claim=merged, original=original, user=editor)
    claim_delete(claim=deleted, user=superuser)
    assert not ClaimWithdrawal.objects.exists()


def test_a_later_step_renews_the_tombstone_with_its_reason(editor, superuser):
    claim = approved()
    claim_return_to_draft(claim=claim, user=editor)
    first = tombstone(claim.pk).withdrawn_at

    claim_reject(claim=claim, user=editor, reason="the figure was a year")
    assert tombstone(claim.pk).reason == ClaimWithdrawal.Reason.REJECTED

    claim_return_to_draft(claim=claim, user=editor)
    claim_delete(claim=claim, user=superuser)
    record = tombstone(claim.pk)
    assert record.reason == ClaimWithdrawal.Reason.DELETED
    assert record.withdrawn_at >= first
    assert ClaimWithdrawal.objects.count() == 1


def test_approving_again_removes_the_tombstone(editor):
    claim = approved()
    claim_return_to_draft(claim=claim, user=editor)
    claim_approve(claim=claim, user=editor)
    assert not ClaimWithdrawal.objects.exists()


def test_parts_of_a_withdrawn_claim_are_sent_again(editor):
    parent = approved()
    part = approved(part_of=parent)
    stamp = timezone.now() - timedelta(days=1)
    Claim.objects.filter(pk=part.pk).update(updated_at=stamp)

    claim_return_to_draft(claim=parent, user=editor)
    part.refresh_from_db()
    withdrawn_seen = part.updated_at
    assert withdrawn_seen > stamp

    claim_approve(claim=parent, user=editor)
    part.refresh_from_db()
    assert part.updated_at >= withdrawn_seen


def test_merged_into_is_shown_only_while_that_claim_is_public(editor):
    original, copy = approved(), approved()
    claim_mark_report_of(claim=copy, original=original, user=editor)
    assert claim_withdrawal_list().get().merged_into_public_id == original.pk

    claim_return_to_draft(claim=original, user=editor)
    listed = {row.claim_id: row.merged_into_public_id for row in claim_withdrawal_list()}
    assert listed == {copy.pk: None, original.pk: None}


def test_admin_deletes_go_through_the_services(client, superuser):
    client.force_login(superuser)
    one, two, three = approved(), approved(), approved()

    response = client.post(f"/admin/claims/claim/{one.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        "/admin/claims/claim/?status=approved",
        {"action": "delete_selected", "index": 0, "_selected_action": [two.pk], "post": "yes"},
    )
    assert response.status_code == 302
    response = client.post(f"/admin/claims/article/{three.article_id}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert not Claim.objects.exists()
    assert set(ClaimWithdrawal.objects.values_list("claim_id", "reason")) == {
        (one.pk, "deleted"),
        (two.pk, "deleted"),
        (three.pk, "deleted"),
    }
