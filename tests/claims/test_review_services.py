"""The review state machine: every transition, its permission, and what it records."""

import pytest
from django.core.exceptions import PermissionDenied

from claims.models import Claim
from claims.selectors import claim_list_public
from claims.services import (
    ReviewError,
    claim_approve,
    claim_figure_problems,
    claim_mark_report_of,
    claim_next_for_review,
    claim_reject,
    claim_report_candidates,
    claim_return_to_draft,
    claim_review_queue,
    claim_update,
)
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def latest_history(claim: Claim):
    return claim.history.order_by("-history_id").first()


# --- approve -----------------------------------------------------------------------------------


def test_approve_publishes_a_draft_and_records_reviewer_time_and_history(editor):
    claim = ClaimFactory()
    assert not claim_list_public().filter(pk=claim.pk).exists()

    approved = claim_approve(claim=claim, user=editor, note="checked against the source")

    claim.refresh_from_db()
    assert approved.pk == claim.pk
    assert claim.status == Claim.Status.APPROVED
    assert claim.reviewed_by == editor
    assert claim.reviewed_at is not None
    assert claim.review_note == "checked against the source"
    assert claim_list_public().filter(pk=claim.pk).exists()
    record = latest_history(claim)
    assert record.history_change_reason == "approved"
    assert record.history_user == editor
    assert record.status == Claim.Status.APPROVED


def test_approve_accepts_a_claim_id(editor):
    claim = ClaimFactory()
    claim_approve(claim=claim.pk, user=editor)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED


@pytest.mark.parametrize("status", [Claim.Status.APPROVED, Claim.Status.REJECTED])
def test_approve_refuses_a_claim_that_is_not_a_draft(editor, status):
    claim = ClaimFactory(status=status)
    with pytest.raises(ReviewError, match="only drafts can be approved"):
        claim_approve(claim=claim, user=editor)
    claim.refresh_from_db()
    assert claim.status == status


def test_approve_refuses_an_implausibly_large_figure_with_a_message(editor):
    # A year or a sum of money misread as a figure: the database allows it, review must not.
    claim = ClaimFactory(figure_low=250_000_000, figure_high=250_000_000)
    with pytest.raises(ReviewError, match="cannot be approved: a figure is larger than"):
        claim_approve(claim=claim, user=editor)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT
    assert claim.reviewed_by is None


@pytest.mark.parametrize(
    ("qualifier", "low", "high", "problem"),
    [
        (Claim.Qualifier.EXACT, None, None, "no figure"),
        (Claim.Qualifier.RANGE, 9_000, 4_000, "low figure (9,000) is greater than"),
        (Claim.Qualifier.EXACT, 10, 12, "same low and high"),
        (Claim.Qualifier.AT_LEAST, None, 12, '"at least" needs a low figure'),
        (Claim.Qualifier.AT_MOST, 12, None, '"up to" needs a high figure'),
        (Claim.Qualifier.RANGE, 12, None, "a range needs both"),
        (Claim.Qualifier.EXACT, -5, -5, "negative"),
    ],
)
def test_figure_problems_name_each_impossible_figure(qualifier, low, high, problem):
    claim = Claim(qualifier=qualifier, figure_low=low, figure_high=high)
    assert any(problem in text for text in claim_figure_problems(claim=claim))


@pytest.mark.parametrize(
    ("qualifier", "low", "high"),
    [
        (Claim.Qualifier.EXACT, 0, 0),
        (Claim.Qualifier.APPROX, 20_000, 20_000),
        (Claim.Qualifier.AT_LEAST, 20_000, None),
        (Claim.Qualifier.AT_MOST, None, 500),
        (Claim.Qualifier.RANGE, 7_000, 15_000),
    ],
)
def test_figure_problems_accept_possible_figures(qualifier, low, high):
    claim = Claim(qualifier=qualifier, figure_low=low, figure_high=high)
    assert claim_figure_problems(claim=claim) == []


def test_approve_needs_the_approve_permission(viewer):
    claim = ClaimFactory()
    with pytest.raises(PermissionDenied):
        claim_approve(claim=claim, user=viewer)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def test_change_permission_alone_does_not_allow_approving():
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_claim"))
    with pytest.raises(PermissionDenied):
        claim_approve(claim=ClaimFactory(), user=user)


def test_superuser_can_approve(superuser):
    claim = claim_approve(claim=ClaimFactory(), user=superuser)
    assert claim.status == Claim.Status.APPROVED


def test_approve_refuses_a_claim_deleted_meanwhile(editor):
    claim = ClaimFactory()
    claim_id = claim.pk
    claim.delete()
    with pytest.raises(ReviewError, match="does not exist"):
        claim_approve(claim=claim_id, user=editor)


# --- reject ------------------------------------------------------------------------------------


def test_reject_keeps_the_claim_out_of_public_data_with_the_reason(editor):
    claim = ClaimFactory()
    claim_reject(claim=claim, user=editor, reason="figure belongs to another battle")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert claim.review_note == "figure belongs to another battle"
    assert claim.reviewed_by == editor
    assert not claim_list_public().filter(pk=claim.pk).exists()
    assert latest_history(claim).history_change_reason == (
        "rejected: figure belongs to another battle"
    )


def test_reject_needs_a_reason(editor):
    claim = ClaimFactory()
    with pytest.raises(ReviewError, match="reason"):
        claim_reject(claim=claim, user=editor, reason="  ")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def test_reject_refuses_an_approved_claim(editor):
    claim = ClaimFactory(status=Claim.Status.APPROVED)
    with pytest.raises(ReviewError, match="only drafts can be rejected"):
        claim_reject(claim=claim, user=editor, reason="wrong")


def test_reject_needs_the_reject_permission(viewer):
    with pytest.raises(PermissionDenied):
        claim_reject(claim=ClaimFactory(), user=viewer, reason="wrong")


# --- back to draft -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Claim.Status.APPROVED, Claim.Status.REJECTED])
def test_return_to_draft_puts_a_reviewed_claim_back_in_the_queue(editor, status):
    claim = ClaimFactory(status=status)
    claim_return_to_draft(claim=claim, user=editor, note="second look")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT
    assert claim.reviewed_by == editor
    assert claim.review_note == "second look"
    assert claim_review_queue().filter(pk=claim.pk).exists()
    assert not claim_list_public().filter(pk=claim.pk).exists()
    assert "sent back to draft" in latest_history(claim).history_change_reason


def test_return_to_draft_refuses_a_draft(editor):
    with pytest.raises(ReviewError, match="already a draft"):
        claim_return_to_draft(claim=ClaimFactory(), user=editor)


def test_return_to_draft_needs_the_change_permission(viewer):
    with pytest.raises(PermissionDenied):
        claim_return_to_draft(claim=ClaimFactory(status=Claim.Status.APPROVED), user=viewer)


def test_inactive_editor_cannot_review(editor):
    editor.is_active = False
    editor.save()
    with pytest.raises(PermissionDenied):
        claim_approve(claim=ClaimFactory(), user=editor)


# --- update ------------------------------------------------------------------------------------


def test_update_keeps_the_extractors_original_values(editor):
    original = {"figure_low": 1200, "figure_high": 1200, "qualifier": "exact", "side": "russia"}
    claim = ClaimFactory(extracted_values=original)

    claim_update(
        claim=claim,
        user=editor,
        data={"figure_low": 12_000, "figure_high": 12_000, "side": "ukraine"},
    )

    claim.refresh_from_db()
    assert (claim.figure_low, claim.figure_high, claim.side) == (12_000, 12_000, "ukraine")
    assert claim.extracted_values == original
    reason = latest_history(claim).history_change_reason
    assert reason.startswith("edited:") and "figure_low" in reason and "side" in reason


def test_update_of_a_claim_without_extracted_values_snapshots_the_values_before_the_edit(editor):
    claim = ClaimFactory(extracted_values={}, figure_low=1200, figure_high=1200)
    claim_update(claim=claim, user=editor, data={"figure_low": 1300, "figure_high": 1300})
    claim.refresh_from_db()
    assert claim.extracted_values["figure_low"] == 1200
    assert claim.extracted_values["claimant"] == claim.claimant.name


def test_update_of_an_approved_claim_sends_it_back_to_draft(editor):
    claim = ClaimFactory(status=Claim.Status.APPROVED)
    claim_update(claim=claim, user=editor, data={"side": "ukraine"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT
    assert not claim_list_public().filter(pk=claim.pk).exists()
    assert "back to draft" in latest_history(claim).history_change_reason


def test_update_of_only_the_review_note_keeps_an_approved_claim_approved(editor):
    claim = ClaimFactory(status=Claim.Status.APPROVED)
    claim_update(claim=claim, user=editor, data={"review_note": "source re-checked"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert claim.review_note == "source re-checked"


def test_update_without_changes_writes_no_history(editor):
    claim = ClaimFactory()
    before = claim.history.count()
    claim_update(claim=claim, user=editor, data={"side": claim.side})
    assert claim.history.count() == before


def test_update_refuses_figures_out_of_order_with_a_message(editor):
    claim = ClaimFactory(qualifier=Claim.Qualifier.RANGE, figure_low=10, figure_high=20)
    with pytest.raises(ReviewError):
        claim_update(claim=claim, user=editor, data={"figure_low": 30})
    claim.refresh_from_db()
    assert claim.figure_low == 10


def test_update_refuses_fields_that_are_not_editable(editor):
    claim = ClaimFactory()
    with pytest.raises(ReviewError, match="status"):
        claim_update(claim=claim, user=editor, data={"status": Claim.Status.APPROVED})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


def test_update_needs_the_change_permission(viewer):
    with pytest.raises(PermissionDenied):
        claim_update(claim=ClaimFactory(), user=viewer, data={"side": "ukraine"})


# --- duplicates --------------------------------------------------------------------------------


def test_report_candidates_are_the_same_assertion_from_other_articles():
    claimant = SourceFactory()
    original = ClaimFactory(claimant=claimant, status=Claim.Status.APPROVED)
    same = dict(
        claimant=claimant,
        battle=original.battle,
        side=original.side,
        category=original.category,
        figure_low=original.figure_low,
        figure_high=original.figure_high,
    )
    new = ClaimFactory(**same)
    ClaimFactory(**same, article=new.article)  # same article: not a second report
    ClaimFactory(**{**same, "side": "ukraine"})  # other side
    ClaimFactory(**{**same, "figure_low": 1, "figure_high": 1})  # other figure
    ClaimFactory(**same, status=Claim.Status.REJECTED)  # rejected: nothing to merge into

    assert list(claim_report_candidates(claim=new)) == [original]


def test_mark_report_of_adds_the_article_to_the_original_and_rejects_the_copy(editor):
    original = ClaimFactory(status=Claim.Status.APPROVED)
    copy = ClaimFactory()

    result = claim_mark_report_of(claim=copy, original=original, user=editor)

    copy.refresh_from_db()
    assert result.pk == original.pk
    assert list(original.reported_by.all()) == [copy.article]
    assert copy.status == Claim.Status.REJECTED
    assert f"claim {original.pk}" in copy.review_note
    assert copy.reviewed_by == editor
    assert list(claim_list_public().filter(pk__in=[original.pk, copy.pk])) == [original]
    assert "added as a report" in latest_history(original).history_change_reason


def test_mark_report_of_carries_over_the_copys_own_reports(editor):
    original = ClaimFactory(status=Claim.Status.APPROVED)
    copy = ClaimFactory()
    third = ArticleFactory()
    copy.reported_by.add(third)
    claim_mark_report_of(claim=copy, original=original, user=editor)
    assert set(original.reported_by.all()) == {copy.article, third}


def test_mark_report_of_refuses_claims_of_the_same_article(editor):
    original = ClaimFactory()
    copy = ClaimFactory(article=original.article)
    with pytest.raises(ReviewError, match="same article"):
        claim_mark_report_of(claim=copy, original=original, user=editor)
    assert not original.reported_by.exists()


def test_mark_report_of_refuses_a_rejected_original(editor):
    original = ClaimFactory(status=Claim.Status.REJECTED)
    with pytest.raises(ReviewError, match="rejected"):
        claim_mark_report_of(claim=ClaimFactory(), original=original, user=editor)


def test_mark_report_of_refuses_the_claim_itself(editor):
    claim = ClaimFactory()
    with pytest.raises(ReviewError, match="itself"):
        claim_mark_report_of(claim=claim, original=claim, user=editor)


def test_mark_report_of_needs_review_rights(viewer):
    with pytest.raises(PermissionDenied):
        claim_mark_report_of(claim=ClaimFactory(), original=ClaimFactory(), user=viewer)


# --- queue -------------------------------------------------------------------------------------


def test_review_queue_is_drafts_oldest_article_first_then_in_text_order():
    old, new = ArticleFactory(), ArticleFactory()
    b = ClaimFactory(article=old, start_offset=40, end_offset=45)
    a = ClaimFactory(article=old, start_offset=10, end_offset=15)
    c = ClaimFactory(article=new)
    ClaimFactory(article=old, status=Claim.Status.APPROVED)
    assert list(claim_review_queue()) == [a, b, c]
    assert claim_next_for_review(after=a) == b
    assert claim_next_for_review(after=b) == c
    # The end of the queue wraps to the first draft left.
    assert claim_next_for_review(after=c) == a


def test_next_for_review_is_none_when_the_queue_is_empty():
    claim = ClaimFactory(status=Claim.Status.APPROVED)
    assert claim_next_for_review(after=claim) is None
