"""Writes to reference data: sources and battles. Review transitions of claims live here too."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.text import slugify

from claims.models import (
    Article,
    Battle,
    CacheFallbackCount,
    Claim,
    ClaimWithdrawal,
    Conflict,
    Source,
)
from claims.public_cache import public_data_changed, public_data_withdrawn
from claims.withdrawals import claim_withdrawal_clear, claim_withdrawal_record


def _unique_slug(model: type[Battle] | type[Source] | type[Conflict], name: str) -> str:
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
    reference = json.loads(battles_path.read_text(encoding="utf-8"))
    battles = reference["battles"]
    sources = json.loads(sources_path.read_text(encoding="utf-8"))["sources"]
    _reference_upsert(
        Conflict,
        {
            item["name"]: {
                "start_date": _parse_date(item.get("start")),
                "end_date": _parse_date(item.get("end")),
                "sides": item.get("sides", []),
                "description": item.get("description", ""),
            }
            for item in reference.get("conflicts", [])
        },
    )
    # A battle may name a conflict the file does not describe: it is created by name.
    conflicts = {conflict.name: conflict for conflict in Conflict.objects.all()}
    for name in {item["conflict"] for item in battles} - set(conflicts):
        conflicts[name] = Conflict.objects.create(name=name, slug=_unique_slug(Conflict, name))
    battle_counts = _reference_upsert(
        Battle,
        {
            item["name"]: {
                "conflict": conflicts[item["conflict"]],
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
    model: type[Battle] | type[Source] | type[Conflict], rows: dict[str, dict[str, object]]
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


def claim_conflict_for(
    *,
    battle: Battle | None,
    side: str,
    conflicts: list[Conflict] | None = None,
    article_conflict: Conflict | None = None,
) -> Conflict | None:
    """The conflict a claim is about: its battle's; for a war-wide claim, the one conflict
    whose sides include the claim's side, else the one conflict the article's other claims
    are about (`article_conflict`), else the only conflict there is. None when that is
    ambiguous: an editor then chooses. `conflicts` saves a query per claim in loops."""
    if battle is not None:
        return battle.conflict
    if conflicts is None:
        conflicts = list(Conflict.objects.all())
    matching = [c for c in conflicts if side in c.sides]
    if len(matching) == 1:
        return matching[0]
    if article_conflict is not None and (not matching or article_conflict in matching):
        return article_conflict
    return conflicts[0] if len(conflicts) == 1 else None


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
    "conflict",
    "side",
    "unit",
    "category",
    "qualifier",
    "figure_low",
    "figure_high",
    "period_start",
    "period_end",
    "period_kind",
    "claim_date",
    "claim_date_precision",
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
        "period_kind": claim.period_kind or None,
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
    # An editor's own claim has no extractor values to keep: it must stay a miss.
    if not claim.extracted_values and not claim.added_by_editor:
        claim.extracted_values = claim_values_snapshot(claim)
    for name in changed:
        setattr(claim, name, data[name])
    # A claim about a battle is about the battle's war, whatever else was chosen.
    if claim.battle is not None and claim.conflict_id != claim.battle.conflict_id:
        claim.conflict_id = claim.battle.conflict_id
        changed = [*(name for name in changed if name != "conflict"), "conflict"]
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


@dataclass(frozen=True)
class ClaimValues:
    """What a claim asserts, for a claim an editor adds from the text."""

    figure_low: int | None
    figure_high: int | None
    qualifier: str
    category: str
    side: str = ""
    unit: str = ""
    claimant: Source | None = None
    battle: Battle | None = None
    claim_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    period_kind: str = ""
    basis: str = Claim.Basis.UNKNOWN


@transaction.atomic
def claim_add_from_text(
    *,
    article_id: int,
    start: int,
    end: int,
    excerpt: str,
    values: ClaimValues,
    user: Reviewer,
    notes: str = "",
) -> Claim:
    """A draft claim an editor adds for a figure the extractor missed, at [start, end) of the
    article's body. It is marked added_by_editor and keeps no extractor values, so measuring
    the extractor against approved claims counts it as a miss."""
    user = _claim_require_perm(user=user, perm="change_claim", action="add")
    body_length = (
        Article.objects.filter(pk=article_id)
        .annotate(length=Length("body"))
        .values_list("length", flat=True)
        .first()
    )
    if body_length is None:
        raise ReviewError(f"Article {article_id} does not exist any more.")
    if not 0 <= start < end <= body_length:
        raise ReviewError("Select the figure inside the article's text.")
    if article_claim_at(article_id=article_id, start=start, end=end) is not None:
        raise ReviewError("This figure already has a claim; correct that one instead.")
    claim = Claim(
        article_id=article_id,
        figure_low=values.figure_low,
        figure_high=values.figure_high,
        qualifier=values.qualifier,
        category=values.category,
        side=values.side[:64],
        unit=values.unit[:200],
        claimant=values.claimant,
        battle=values.battle,
        claim_date=values.claim_date,
        period_start=values.period_start,
        period_end=values.period_end,
        period_kind=values.period_kind,
        basis=values.basis,
        excerpt=excerpt,
        start_offset=start,
        end_offset=end,
        confidence=0.0,
        extraction_notes=notes,
        added_by_editor=True,
        status=Claim.Status.DRAFT,
    )
    if claim.category not in Claim.Category.values or claim.qualifier not in Claim.Qualifier.values:
        raise ReviewError("The proposed claim has no valid category or qualifier.")
    # The draft must fit the table's constraints; the editor corrects the rest before approving.
    problems = claim_figure_problems(claim=claim)
    if problems:
        raise ReviewError(f"This figure cannot be a claim: {'; '.join(problems)}.")
    _claim_history_note(claim, user=user, reason="added by the editor from the text")
    claim.save()
    return claim


def article_claim_at(*, article_id: int, start: int, end: int) -> Claim | None:
    """The article's claim (not rejected) whose figure overlaps [start, end), if any."""
    return (
        Claim.objects.filter(article_id=article_id, start_offset__lt=end, end_offset__gt=start)
        .exclude(status=Claim.Status.REJECTED)
        .only("pk")
        .first()
    )


def article_drafts_approve(
    *, article_id: int, claim_ids: list[int], user: Reviewer
) -> tuple[list[Claim], list[str]]:
    """Approves the given drafts of one article, each in its own transaction (one refusal
    leaves the others approved). Returns (approved, refusals)."""
    _claim_require_perm(user=user, perm="approve_claim", action="approve")
    ids = list(
        Claim.objects.filter(
            article_id=article_id, pk__in=claim_ids, status=Claim.Status.DRAFT
        ).values_list("pk", flat=True)
    )
    approved, refused = [], []
    for claim_id in sorted(ids):
        try:
            approved.append(claim_approve(claim=claim_id, user=user))
        except ReviewError as exc:
            refused.append(str(exc))
    return approved, refused


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


@transaction.atomic
def cache_fallbacks_add(*, counts: Mapping[str, int]) -> None:
    """Adds one process's counts of calls answered without the shared cache, by purpose, to
    those of every process (claimsite/shared_cache.py saves them)."""
    now = timezone.now()
    for purpose, count in sorted(counts.items()):  # one order: two processes never deadlock
        # get_or_create: two processes adding the first count at once make one row.
        CacheFallbackCount.objects.get_or_create(purpose=purpose, defaults={"last_at": now})
        CacheFallbackCount.objects.filter(purpose=purpose).update(
            count=F("count") + count, last_at=now
        )
