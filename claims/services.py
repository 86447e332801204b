"""Writes to reference data: sources and battles. Review transitions of claims live here too."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.text import slugify

from claims.models import Article, Battle, Claim, ClaimWithdrawal, Source
from claims.public_cache import public_data_changed, public_data_withdrawn
from claims.withdrawals import claim_withdrawal_clear, claim_withdrawal_record


def _unique_slug(model: type[Battle] | type[Source], name: str) -> str:
    base = slugify(name)[:180] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def source_find(*, name: str) -> Source | None:
    """The Source whose name or one of whose aliases is `name`, ignoring case."""
    wanted = name.strip().casefold()
    if not wanted:
        return None
    exact = Source.objects.filter(name__iexact=name.strip()).first()
    if exact:
        return exact
    # Aliases are a JSON list; the table is small (hundreds), so match in Python to get
    # case-insensitive matching on every database.
    for source in Source.objects.exclude(aliases=[]).only("id", "aliases", "name"):
        if any(alias.casefold() == wanted for alias in source.aliases):
            return Source.objects.get(pk=source.pk)
    return None


def source_get_or_create(
    *, name: str, kind: str = Source.Kind.OTHER, affiliation: str = ""
) -> Source:
    """The known Source called `name` (by name or alias), or a new one."""
    existing = source_find(name=name)
    if existing:
        return existing
    return Source.objects.create(
        name=name.strip()[:200],
        slug=_unique_slug(Source, name),
        kind=kind,
        affiliation=affiliation,
    )


@dataclass(frozen=True)
class ReferenceLoadResult:
    battles_created: int
    battles_updated: int
    sources_created: int
    sources_updated: int


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def reference_load(*, battles_path: Path, sources_path: Path) -> ReferenceLoadResult:
    """Loads the battles and well-known sources of seeds/ into the database. Idempotent:
    rows are matched by name and brought up to date, nothing is duplicated."""
    battles = json.loads(battles_path.read_text(encoding="utf-8"))["battles"]
    sources = json.loads(sources_path.read_text(encoding="utf-8"))["sources"]
    battle_counts = _reference_upsert(
        Battle,
        {
            item["name"]: {
                "conflict": item["conflict"],
                "aliases": item.get("aliases", []),
                "places": item.get("places", []),
                "start_date": _parse_date(item.get("start")),
                "end_date": _parse_date(item.get("end")),
                "description": item.get("description", ""),
            }
            for item in battles
        },
    )
    source_counts = _reference_upsert(
        Source,
        {
            item["name"]: {
                "kind": item.get("kind", Source.Kind.OTHER),
                "affiliation": item.get("affiliation", ""),
                "role": item.get("role", ""),
                "aliases": item.get("aliases", []),
            }
            for item in sources
        },
    )
    return ReferenceLoadResult(
        battles_created=battle_counts[0],
        battles_updated=battle_counts[1],
        sources_created=source_counts[0],
        sources_updated=source_counts[1],
    )


def _reference_upsert(
    model: type[Battle] | type[Source], rows: dict[str, dict[str, object]]
) -> tuple[int, int]:
    """Creates the rows missing by name and updates those that differ; (created, updated)."""
    created = updated = 0
    for name, values in rows.items():
        existing = model.objects.filter(name=name).first()
        if existing is None:
            model.objects.create(name=name, slug=_unique_slug(model, name), **values)
            created += 1
        elif any(getattr(existing, key) != value for key, value in values.items()):
            model.objects.filter(pk=existing.pk).update(**values, updated_at=timezone.now())
            updated += 1
    if updated:
        public_data_changed()  # update() sends no post_save
    return created, updated


# --- Review of claims (issue 4) ---------------------------------------------------------------
# A claim's review is a small state machine: draft -> approved | rejected, and back to draft
# when an editor sends it back or edits a reviewed claim. Transitions happen only here; each
# checks the current state and the user's permission under a row lock, records who and when,
# and leaves a change reason in the claim's history.

# No casualty or equipment figure in any war reaches this; a larger number is a misread year,
# sum of money or phone number, never a claim worth publishing.
FIGURE_PLAUSIBLE_MAX = 100_000_000

# Fields an editor may change on a claim. Review fields, offsets and the extractor's
# diagnostics are not among them: those are written by the pipeline and the transitions.
CLAIM_EDITABLE_FIELDS = (
    "claimant",
    "battle",
    "side",
    "unit",
    "category",
    "qualifier",
    "figure_low",
    "figure_high",
    "period_start",
    "period_end",
    "claim_date",
    "basis",
    "part_of",
    "review_note",
)


class ReviewError(ValueError):
    """A review step was refused; the message tells the editor why."""


# Who asks for a review step: request.user, or None when nobody is logged in.
Reviewer = User | AnonymousUser | None


def _claim_require_perm(*, user: Reviewer, perm: str, action: str) -> User:
    """`user`, when they may do this to claims; PermissionDenied otherwise."""
    if user is None or not user.is_active or not user.has_perm(f"claims.{perm}"):
        raise PermissionDenied(f"You are not allowed to {action} claims.")
    return user  # a User: an anonymous user is never active


def _claim_lock(*, claim: Claim | int) -> Claim:
    claim_id = claim if isinstance(claim, int) else claim.pk
    try:
        return Claim.objects.select_for_update().get(pk=claim_id)
    except Claim.DoesNotExist as exc:
        raise ReviewError(f"Claim {claim_id} does not exist any more.") from exc


def _claim_withdrawing(
    claim: Claim, *, reason: ClaimWithdrawal.Reason, merged_into: Claim | None = None
) -> None:
    """Called before a change that takes `claim` out of the public data (or changes what it
    asserts): when it was public, cached public pages from before must not be shown again,
    and sync clients learn from its tombstone that it is gone."""
    if claim.status == Claim.Status.APPROVED:
        public_data_withdrawn()
    claim_withdrawal_record(claims=[claim], reason=reason, merged_into=merged_into)


def _claim_history_note(claim: Claim, *, user: User, reason: str) -> None:
    """Who made the next save of `claim` and why, for its history row: simple_history reads
    these two attributes (its documented way), and ships no type hints declaring them."""
    claim._history_user = user  # type: ignore[attr-defined]
    claim._change_reason = reason  # type: ignore[attr-defined]


def _claim_save_reviewed(*, claim: Claim, user: User, reason: str, fields: list[str]) -> Claim:
    _claim_history_note(claim, user=user, reason=reason)
    claim.save(update_fields=[*fields, "updated_at"])
    return claim


def claim_figure_problems(*, claim: Claim) -> list[str]:
    """Why this claim's figure cannot be published as it is; empty when it can. The database
    refuses most of these too, but an approval must say so in words, not fail on a constraint."""
    low, high, qualifier = claim.figure_low, claim.figure_high, claim.qualifier
    problems = []
    if low is None and high is None:
        problems.append("it has no figure")
    if (low is not None and low < 0) or (high is not None and high < 0):
        problems.append("a figure is negative")
    if low is not None and high is not None and low > high:
        problems.append(f"its low figure ({low:,}) is greater than its high figure ({high:,})")
    if any(value is not None and value > FIGURE_PLAUSIBLE_MAX for value in (low, high)):
        problems.append(f"a figure is larger than {FIGURE_PLAUSIBLE_MAX:,}")
    if qualifier in (Claim.Qualifier.EXACT, Claim.Qualifier.APPROX) and low != high:
        problems.append("an exact or approximate figure needs the same low and high")
    if qualifier == Claim.Qualifier.AT_LEAST and (low is None or high is not None):
        problems.append('"at least" needs a low figure and no high figure')
    if qualifier == Claim.Qualifier.AT_MOST and (high is None or low is not None):
        problems.append('"up to" needs a high figure and no low figure')
    if qualifier == Claim.Qualifier.RANGE and (low is None or high is None):
        problems.append("a range needs both a low and a high figure")
    return problems


@transaction.atomic
def claim_approve(*, claim: Claim | int, user: Reviewer, note: str = "") -> Claim:
    """Publishes a draft claim. Refused for a claim that is not a draft or whose figure is
    impossible."""
    user = _claim_require_perm(user=user, perm="approve_claim", action="approve")
    claim = _claim_lock(claim=claim)
    if claim.status != Claim.Status.DRAFT:
        raise ReviewError(
            f"Claim {claim.pk} is {claim.get_status_display().lower()}; only drafts can be "
            "approved. Send it back to draft first."
        )
    problems = claim_figure_problems(claim=claim)
    if problems:
        raise ReviewError(f"Claim {claim.pk} cannot be approved: {'; '.join(problems)}.")
    claim.status = Claim.Status.APPROVED
    claim.reviewed_by = user
    claim.reviewed_at = timezone.now()
    if note.strip():
        claim.review_note = note.strip()
    claim_withdrawal_clear(claim=claim)
    return _claim_save_reviewed(
        claim=claim,
        user=user,
        reason="approved",
        fields=["status", "reviewed_by", "reviewed_at", "review_note"],
    )


@transaction.atomic
def claim_reject(*, claim: Claim | int, user: Reviewer, reason: str) -> Claim:
    """Keeps a draft claim out of the public data, with the reason why."""
    user = _claim_require_perm(user=user, perm="reject_claim", action="reject")
    if not reason.strip():
        raise ReviewError("Give a reason for rejecting the claim.")
    claim = _claim_lock(claim=claim)
    if claim.status != Claim.Status.DRAFT:
        raise ReviewError(
            f"Claim {claim.pk} is {claim.get_status_display().lower()}; only drafts can be "
            "rejected. Send it back to draft first."
        )
    _claim_withdrawing(claim, reason=ClaimWithdrawal.Reason.REJECTED)
    claim.status = Claim.Status.REJECTED
    claim.reviewed_by = user
    claim.reviewed_at = timezone.now()
    claim.review_note = reason.strip()
    return _claim_save_reviewed(
        claim=claim,
        user=user,
        reason=f"rejected: {reason.strip()}"[:200],
        fields=["status", "reviewed_by", "reviewed_at", "review_note"],
    )


@transaction.atomic
def claim_return_to_draft(*, claim: Claim | int, user: Reviewer, note: str = "") -> Claim:
    """Sends an approved or rejected claim back to the review queue (and out of the public
    data). The reviewer and time record who sent it back."""
    user = _claim_require_perm(user=user, perm="change_claim", action="send back")
    claim = _claim_lock(claim=claim)
    if claim.status == Claim.Status.DRAFT:
        raise ReviewError(f"Claim {claim.pk} is already a draft.")
    _claim_withdrawing(claim, reason=ClaimWithdrawal.Reason.RETURNED_TO_DRAFT)
    previous = claim.get_status_display().lower()
    claim.status = Claim.Status.DRAFT
    claim.reviewed_by = user
    claim.reviewed_at = timezone.now()
    if note.strip():
        claim.review_note = note.strip()
    return _claim_save_reviewed(
        claim=claim,
        user=user,
        reason=f"sent back to draft (was {previous})",
        fields=["status", "reviewed_by", "reviewed_at", "review_note"],
    )


def claim_values_snapshot(claim: Claim) -> dict[str, str | int | float | None]:
    """The claim's current values in the shape of extracted_values, for claims that were
    created without them (by hand or before the extractor kept them)."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "figure_low": claim.figure_low,
        "figure_high": claim.figure_high,
        "qualifier": claim.qualifier,
        "category": claim.category,
        "side": claim.side,
        "unit": claim.unit,
        "claimant": claim.claimant.name if claim.claimant else None,
        "battle": claim.battle.name if claim.battle else None,
        "claim_date": iso(claim.claim_date),
        "period_start": iso(claim.period_start),
        "period_end": iso(claim.period_end),
        "basis": claim.basis,
        "confidence": claim.confidence,
    }


@transaction.atomic
def claim_update(*, claim: Claim | int, user: Reviewer, data: dict[str, object]) -> Claim:
    """Applies an editor's corrections. The extractor's original values stay in
    extracted_values (they measure the extractor). Editing a reviewed claim's substance sends
    it back to draft, so nothing reaches the public data unreviewed."""
    user = _claim_require_perm(user=user, perm="change_claim", action="change")
    unknown = set(data) - set(CLAIM_EDITABLE_FIELDS)
    if unknown:
        raise ReviewError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    claim = _claim_lock(claim=claim)
    changed = [name for name, value in data.items() if getattr(claim, name) != value]
    if not changed:
        return claim
    if not claim.extracted_values:
        claim.extracted_values = claim_values_snapshot(claim)
    for name in changed:
        setattr(claim, name, data[name])
    if claim.part_of_id is not None and claim.part_of_id == claim.pk:
        raise ReviewError("A claim cannot be a part of itself.")
    try:
        claim.full_clean()
    except ValidationError as exc:
        raise ReviewError("; ".join(exc.messages)) from exc
    fields = [*changed, "extracted_values"]
    substantive = set(changed) - {"review_note"}
    reason = f"edited: {', '.join(changed)}"
    if claim.status != Claim.Status.DRAFT and substantive:
        _claim_withdrawing(claim, reason=ClaimWithdrawal.Reason.CORRECTED)
        reason += f" (was {claim.get_status_display().lower()}, back to draft)"
        claim.status = Claim.Status.DRAFT
        claim.reviewed_by = user
        claim.reviewed_at = timezone.now()
        fields += ["status", "reviewed_by", "reviewed_at"]
    return _claim_save_reviewed(claim=claim, user=user, reason=reason[:200], fields=fields)


def claim_report_candidates(*, claim: Claim) -> QuerySet[Claim]:
    """Claims from other articles that make the same assertion (same claimant, figure,
    category, side and battle): the claim is probably another report of one of them.
    Approved claims come first, then the oldest."""
    return (
        # `battle_id=None` matches claims without a battle (Django turns it into IS NULL); the
        # stubs' plugin accepts None for claimant_id but not for battle_id, hence the ignore.
        Claim.objects.filter(  # type: ignore[misc]
            claimant_id=claim.claimant_id,
            battle_id=claim.battle_id,
            side=claim.side,
            category=claim.category,
            figure_low=claim.figure_low,
            figure_high=claim.figure_high,
            status__in=[Claim.Status.APPROVED, Claim.Status.DRAFT],
        )
        .exclude(article_id=claim.article_id)
        .exclude(pk=claim.pk)
        .select_related("article", "claimant")
        .defer("article__body", "article__original_content")
        .order_by(
            Case(When(status=Claim.Status.APPROVED, then=0), default=1),
            "article_id",
            "pk",
        )
    )


@transaction.atomic
def claim_mark_report_of(*, claim: Claim | int, original: Claim | int, user: Reviewer) -> Claim:
    """Records that `claim` is another report of `original`: its article joins the original's
    reported_by, and `claim` is rejected with a note pointing at the original, so researchers
    see one claim with several sources. Returns the original."""
    _claim_require_perm(user=user, perm="change_claim", action="merge")
    user = _claim_require_perm(user=user, perm="reject_claim", action="reject")
    claim_id = claim if isinstance(claim, int) else claim.pk
    original_id = original if isinstance(original, int) else original.pk
    if claim_id == original_id:
        raise ReviewError("A claim cannot be a report of itself.")
    # Lock both rows in id order so two editors merging the same pair cannot deadlock.
    locked = {pk: _claim_lock(claim=pk) for pk in sorted((claim_id, original_id))}
    claim, original = locked[claim_id], locked[original_id]
    if original.status == Claim.Status.REJECTED:
        raise ReviewError(f"Claim {original.pk} is rejected; pick a claim that is not.")
    if claim.status == Claim.Status.REJECTED:
        raise ReviewError(f"Claim {claim.pk} is already rejected.")
    if claim.article_id == original.article_id:
        raise ReviewError("Both claims come from the same article; reject the extra one instead.")
    if original.part_of_id == claim.pk:
        raise ReviewError(f"Claim {original.pk} is a part of claim {claim.pk}.")
    _claim_withdrawing(claim, reason=ClaimWithdrawal.Reason.MERGED, merged_into=original)
    original.reported_by.add(claim.article_id, *claim.reported_by.values_list("pk", flat=True))
    original.reported_by.remove(original.article_id)
    claim.status = Claim.Status.REJECTED
    claim.reviewed_by = user
    claim.reviewed_at = timezone.now()
    claim.review_note = f"Another report of claim {original.pk}; its article was added there."
    _claim_save_reviewed(
        claim=claim,
        user=user,
        reason=f"merged: a report of claim {original.pk}",
        fields=["status", "reviewed_by", "reviewed_at", "review_note"],
    )
    # The M2M change alone writes no history row; record it on the original too.
    _claim_history_note(
        original,
        user=user,
        reason=f"article {claim.article_id} added as a report (claim {claim.pk})",
    )
    original.save(update_fields=["updated_at"])
    return original


def claim_review_queue() -> QuerySet[Claim]:
    """Drafts in the order editors work them: oldest article first (by upload), then in the
    order they appear in the article. Served by the (status, article) index."""
    return Claim.objects.filter(status=Claim.Status.DRAFT).order_by(
        "article_id", "start_offset", "pk"
    )


def claim_next_for_review(*, after: Claim) -> Claim | None:
    """The draft that follows `after` in the review queue (wrapping to the start), or None
    when the queue is empty."""
    key = (after.article_id, after.start_offset, after.pk)
    queue = claim_review_queue().exclude(pk=after.pk)
    later = queue.filter(
        Q(article_id__gt=key[0])
        | Q(article_id=key[0], start_offset__gt=key[1])
        | Q(article_id=key[0], start_offset=key[1], pk__gt=key[2])
    ).first()
    return later or queue.first()


@transaction.atomic
def claim_delete(*, claim: Claim | int, user: Reviewer) -> None:
    """Deletes a claim for good (a mistake, not a review outcome: rejecting keeps the
    record). When it was public it leaves a tombstone for sync clients."""
    user = _claim_require_perm(user=user, perm="delete_claim", action="delete")
    claim = _claim_lock(claim=claim)
    _claim_withdrawing(claim, reason=ClaimWithdrawal.Reason.DELETED)
    _claim_history_note(claim, user=user, reason="deleted")
    claim.delete()


@transaction.atomic
def article_delete(*, article: Article | int, user: Reviewer) -> None:
    """Deletes an article and, with it, its claims: its public claims leave tombstones, and
    the claims it was reporting lose it from `reports`, so the dump sends them again."""
    if user is None or not user.is_active or not user.has_perm("claims.delete_article"):
        raise PermissionDenied("You are not allowed to delete articles.")
    article_id = article if isinstance(article, int) else article.pk
    try:
        locked = Article.objects.select_for_update().only("pk").get(pk=article_id)
    except Article.DoesNotExist as exc:
        raise ReviewError(f"Article {article_id} does not exist any more.") from exc
    claims = list(
        Claim.objects.select_for_update().filter(article_id=article_id).only("pk", "status")
    )
    if any(claim.status == Claim.Status.APPROVED for claim in claims):
        public_data_withdrawn()
    claim_withdrawal_record(claims=claims, reason=ClaimWithdrawal.Reason.DELETED)
    Claim.objects.filter(reported_by=article_id, status=Claim.Status.APPROVED).update(
        updated_at=timezone.now()
    )
    locked.delete()
