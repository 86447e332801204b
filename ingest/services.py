"""Ingest workflow: submit an article, parse it into draft claims, re-parse, sweep, and
approve the sample articles' drafts that their gold file confirms (demo set-up).

Every entry point (admin, REST API, management commands, Celery task) calls these functions.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypedDict, Unpack

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from claims.models import Article, Battle, Claim, Conflict, Source
from claims.services import (
    claim_approve,
    claim_conflict_for,
    claim_values_snapshot,
    source_get_or_create,
)
from ingest.documents import (
    DocumentError,
    content_hash,
    document_read,
    upload_check,
    upload_hash,
)
from ingest.extraction import EXTRACTOR_VERSION, extract_article
from ingest.extraction.claimants import canonical_name
from ingest.extraction.evaluation import score_article
from ingest.extraction.types import (
    BattleRef,
    ConflictRef,
    ExtractedClaim,
    ReferenceData,
    SourceRef,
)

logger = logging.getLogger(__name__)


class UploadError(ValueError):
    """An upload was refused; the message tells the uploader what is wrong."""


@dataclass(frozen=True)
class ArticleSubmission:
    article: Article
    created: bool
    duplicate_reason: str = ""  # why an existing article was returned instead of a new one

    @property
    def message(self) -> str:
        if self.created:
            return f"Article {self.article.pk} queued for parsing."
        return (
            f"Not added: article {self.article.pk} ({self.article}) already has "
            f"{self.duplicate_reason}."
        )


def upload_size_check(*, name: str, size: int | None) -> None:
    """Refuses a file larger than UPLOAD_MAX_BYTES; called before the file is read."""
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise UploadError(f"{name} is {size:,} bytes; the limit is {settings.UPLOAD_MAX_BYTES:,}.")


class ArticleFields(TypedDict, total=False):
    """What an uploader may say about an article besides its content (see article_submit)."""

    url: str
    title: str
    outlet_name: str
    author: str
    published: date | None


def article_submit_file(
    *, file: UploadedFile[bytes], uploaded_by: User | None = None, **fields: Unpack[ArticleFields]
) -> ArticleSubmission:
    """Submits an uploaded file. The size is checked before the file is read into memory."""
    upload_size_check(name=file.name or "The upload", size=file.size)
    return article_submit(
        content=file.read(),
        filename=file.name or "",
        content_type=file.content_type or "",
        uploaded_by=uploaded_by,
        **fields,
    )


def article_submit_upload(
    *,
    file: UploadedFile[bytes] | None,
    text: str = "",
    uploaded_by: User | None = None,
    **fields: Unpack[ArticleFields],
) -> ArticleSubmission:
    """Submits what an upload form sends: a file, or else pasted text."""
    if file:
        return article_submit_file(file=file, uploaded_by=uploaded_by, **fields)
    return article_submit(
        content=text.encode("utf-8"),
        content_type="text/plain; charset=utf-8",
        uploaded_by=uploaded_by,
        **fields,
    )


def article_submit(
    *,
    content: bytes,
    filename: str = "",
    content_type: str = "",
    url: str = "",
    title: str = "",
    outlet_name: str = "",
    author: str = "",
    published: date | None = None,
    uploaded_by: User | None = None,
) -> ArticleSubmission:
    """Saves the upload's bytes as an article (status queued) and enqueues its reading and
    parsing once the row is committed. Only cheap checks run here; decoding and HTML
    extraction are the worker's (article_read), whose errors reach the article's status.
    The same bytes, or the same URL, submitted again return the existing article."""
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise UploadError(
            f"The upload is {len(content):,} bytes; the limit is {settings.UPLOAD_MAX_BYTES:,}."
        )
    # Relative dates in the text ("on Monday") are read from it; a day of slack for time zones.
    if published and published > timezone.localdate() + timedelta(days=1):
        raise UploadError(f"The published date {published.isoformat()} is in the future.")
    try:
        upload_check(content)
    except DocumentError as exc:
        raise UploadError(f"{filename or 'The upload'}: {exc}") from exc

    original_hash = upload_hash(content)
    existing = _article_duplicate(original_hash=original_hash, url=url)
    if existing:
        return existing

    outlet_name = outlet_name.strip()
    outlet = source_get_or_create(name=outlet_name, kind=Source.Kind.MEDIA) if outlet_name else None
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=title.strip()[:500],
                url=url.strip(),
                outlet=outlet,
                author=author.strip()[:300],
                published_date=published,
                body="",
                original_content=content,
                original_content_type=content_type[:100],
                original_filename=filename[:255],
                original_hash=original_hash,
                uploaded_by=uploaded_by,
            )
    except IntegrityError:
        # Another upload of the same bytes or URL won the race.
        existing = _article_duplicate(original_hash=original_hash, url=url)
        if existing:
            return existing
        raise
    transaction.on_commit(lambda: article_enqueue(article_id=article.pk))
    return ArticleSubmission(article=article, created=True)


def _article_duplicate(*, original_hash: str, url: str) -> ArticleSubmission | None:
    # The same bytes are the same text. The same text in other bytes (another encoding, other
    # spacing) is only known once a worker has read it: article_read marks it a duplicate.
    same_upload = Article.objects.filter(original_hash=original_hash).first()
    if same_upload:
        return ArticleSubmission(article=same_upload, created=False, duplicate_reason="this text")
    same_url = Article.objects.filter(url=url.strip()).first() if url.strip() else None
    if same_url:
        return ArticleSubmission(article=same_url, created=False, duplicate_reason="this URL")
    return None


def article_enqueue(*, article_id: int, force: bool = False) -> bool:
    """Hands the article to a worker. A broker that is down loses nothing: the article stays
    queued and article_sweep enqueues it again later."""
    from ingest.tasks import article_parse_task

    timeout = settings.ENQUEUE_TIMEOUT_SECONDS
    try:
        # A connection of its own with short timeouts and no retries: the default one waits
        # without limit on a broker that accepts connections and never answers.
        with article_parse_task.app.connection_for_write(
            connect_timeout=timeout,
            transport_options={
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "max_retries": 0,
            },
        ) as connection:
            article_parse_task.apply_async(
                (article_id,), {"force": force}, producer=connection.Producer(), retry=False
            )
    except Exception as exc:  # kombu/redis raise many types; any of them means "not sent"
        logger.warning("Article %s not enqueued, left queued for the sweep: %s", article_id, exc)
        return False
    return True


def reference_data_build() -> ReferenceData:
    """The battles and sources the extractor recognises, read from the database."""
    battles = tuple(
        BattleRef(
            name=battle.name,
            conflict=battle.conflict.name,
            aliases=tuple(battle.aliases),
            places=tuple(battle.places),
            start=battle.start_date,
            end=battle.end_date,
        )
        for battle in Battle.objects.select_related("conflict").order_by("pk")
    )
    sources = tuple(
        SourceRef(
            name=source.name,
            aliases=tuple(source.aliases),
            kind=source.kind,
            affiliation=source.affiliation,
            role=source.role,
        )
        for source in Source.objects.order_by("pk")
    )
    conflicts = tuple(
        ConflictRef(name=conflict.name, start=conflict.start_date, sides=tuple(conflict.sides))
        for conflict in Conflict.objects.order_by("pk")
    )
    return ReferenceData(battles=battles, sources=sources, conflicts=conflicts)


def article_parse(*, article_id: int, force: bool = False) -> Article:
    """Reads the upload into text if no worker has yet (article_read), then extracts draft
    claims and replaces the drafts of earlier runs in one transaction. Reviewed (approved or
    rejected) claims are never touched. Safe to run twice: an article already parsed by this
    extractor version is left alone unless forced."""
    with transaction.atomic():
        article = _article_locked(article_id)
        if (
            article.status == Article.Status.PARSED
            and article.extractor_version == EXTRACTOR_VERSION
            and not force
        ):
            return article
        # Text once read is never read again: the claims' offsets index it.
        must_read = not article.is_read
        article.status = Article.Status.READING if must_read else Article.Status.PARSING
        article.attempts += 1
        article.save(update_fields=["status", "attempts", "updated_at"])

    if must_read:
        article = article_read(article_id=article_id)
        if article.status != Article.Status.PARSING:
            return article

    try:
        extraction = extract_article(
            article.body, published=article.published_date, reference=reference_data_build()
        )
    except SoftTimeLimitExceeded:
        logger.error("Extractor ran out of time on article %s", article_id)
        return article_mark_failed(article_id=article_id, error=parse_time_limit_error())
    except Exception as exc:  # an extractor bug on one article must not stop the queue
        logger.exception("Extractor failed on article %s", article_id)
        return article_mark_failed(article_id=article_id, error=f"{type(exc).__name__}: {exc}")

    with transaction.atomic():
        article = _article_locked(article_id)
        metadata = extraction.metadata
        article.title = article.title or metadata.title[:500]
        article.author = article.author or metadata.author[:300]
        article.published_date = article.published_date or metadata.published
        if article.outlet_id is None and metadata.outlet:
            article.outlet = source_get_or_create(name=metadata.outlet, kind=Source.Kind.MEDIA)
        _claims_replace_drafts(article=article, extracted=extraction.claims)
        article.status = Article.Status.PARSED
        article.error = ""
        article.extractor_version = EXTRACTOR_VERSION
        article.parsed_at = timezone.now()
        article.save()
    return article


def article_read(*, article_id: int) -> Article:
    """Turns the article's uploaded bytes into its text: decoding, and for an HTML page its
    main text and metadata (which fill only what the uploader left empty). The article ends
    `parsing` (ready for extraction), `failed` with the reason an uploader was told when this
    ran in the upload request, or `duplicate` when another article has the same text. The
    bytes are kept whatever happens, so a failed article can be read again."""
    upload = Article.objects.only(
        "pk", "original_content", "original_content_type", "original_filename"
    ).get(pk=article_id)
    try:
        document = document_read(
            bytes(upload.original_content),
            content_type=upload.original_content_type,
            filename=upload.original_filename,
        )
    except DocumentError as exc:
        return article_mark_failed(
            article_id=article_id, error=f"{upload.original_filename or 'The upload'}: {exc}"
        )
    except SoftTimeLimitExceeded:
        logger.error("Reading the upload ran out of time on article %s", article_id)
        return article_mark_failed(article_id=article_id, error=parse_time_limit_error())
    except Exception as exc:  # a reader bug on one upload must not stop the queue
        logger.exception("Reading the upload failed on article %s", article_id)
        return article_mark_failed(article_id=article_id, error=f"{type(exc).__name__}: {exc}")

    text_hash = content_hash(document.text)
    metadata = document.metadata
    try:
        with transaction.atomic():
            article = _article_locked(article_id)
            same_text = _article_same_text(text_hash=text_hash, article_id=article_id)
            if same_text is None:
                # Metadata given by the uploader wins over what the HTML says about itself.
                article.title = article.title or metadata.title[:500]
                article.author = article.author or metadata.author[:300]
                article.published_date = article.published_date or metadata.published
                if article.outlet_id is None and metadata.outlet:
                    article.outlet = source_get_or_create(
                        name=metadata.outlet, kind=Source.Kind.MEDIA
                    )
                article.body = document.text
                article.content_hash = text_hash
                article.status = Article.Status.PARSING
                article.save()
    except IntegrityError:
        # Another worker stored the same text a moment ago (the unique content hash).
        same_text = _article_same_text(text_hash=text_hash, article_id=article_id)
        if same_text is None:
            raise
    if same_text is not None:
        return article_mark_duplicate(article_id=article_id, original=same_text)
    return article


def _article_locked(article_id: int) -> Article:
    # The uploaded bytes (up to UPLOAD_MAX_BYTES) are neither needed nor written back by save().
    return Article.objects.select_for_update().defer("original_content").get(pk=article_id)


def _article_same_text(*, text_hash: str, article_id: int) -> Article | None:
    return (
        Article.objects.filter(content_hash=text_hash)
        .exclude(pk=article_id)
        .only("pk", "title")
        .first()
    )


def article_mark_duplicate(*, article_id: int, original: Article) -> Article:
    """An upload whose text another article already has: not parsed twice. It keeps its
    bytes and no text; re-parsing reads it again (a parse once the other is deleted)."""
    with transaction.atomic():
        article = _article_locked(article_id)
        article.status = Article.Status.DUPLICATE
        article.error = f"Not parsed: article {original.pk} ({original}) already has this text."
        article.save(update_fields=["status", "error", "updated_at"])
    return article


def _claims_replace_drafts(*, article: Article, extracted: list[ExtractedClaim]) -> None:
    # Drafts an editor added from the text are theirs, not an earlier run's: they stay.
    article.claims.filter(status=Claim.Status.DRAFT, added_by_editor=False).delete()
    # An editor already decided on (or added) these figures; don't offer them again as drafts.
    reviewed = set(
        article.claims.exclude(status=Claim.Status.DRAFT, added_by_editor=False).values_list(
            "start_offset", "category"
        )
    )
    battles = {battle.name: battle for battle in Battle.objects.select_related("conflict")}
    conflicts = list(Conflict.objects.all())
    # The war the article's other claims are about (by their battles, else by their sides),
    # when they are all about one: a war-wide claim whose side names no single war (a
    # historical comparison, civilians) is about that one.
    article_conflicts = {
        claim_conflict_for(
            battle=battles.get(item.battle) if item.battle else None,
            side=item.side,
            conflicts=conflicts,
        )
        for item in extracted
    } - {None}
    article_conflict = article_conflicts.pop() if len(article_conflicts) == 1 else None
    claimants: dict[str, Source] = {}
    index_to_claim: dict[int, Claim] = {}
    new_claims: list[Claim] = []
    for index, item in enumerate(extracted):
        if (item.start, item.category) in reviewed:
            continue
        if not _figures_storable(item):
            logger.warning("Article %s: figure out of range skipped: %r", article.pk, item.excerpt)
            continue
        claimant = None
        if item.claimant:
            if item.claimant not in claimants:
                claimants[item.claimant] = source_get_or_create(name=item.claimant)
            claimant = claimants[item.claimant]
        battle = battles.get(item.battle) if item.battle else None
        claim = Claim(
            article=article,
            claimant=claimant,
            battle=battle,
            conflict=claim_conflict_for(
                battle=battle,
                side=item.side,
                conflicts=conflicts,
                article_conflict=article_conflict,
            ),
            side=item.side,
            unit=(item.unit or "")[:200],
            category=item.category,
            qualifier=item.qualifier,
            figure_low=item.figure_low,
            figure_high=item.figure_high,
            period_start=item.period_start,
            period_end=item.period_end,
            period_kind=item.period_kind or "",
            claim_date=item.claim_date,
            excerpt=_excerpt_bounded(article.body, item),
            start_offset=item.start,
            end_offset=item.end,
            basis=item.basis,
            confidence=min(max(item.confidence, 0.0), 1.0),
            extraction_notes="; ".join(item.notes),
            extractor_version=EXTRACTOR_VERSION,
            extracted_values=extracted_claim_values(item),
            status=Claim.Status.DRAFT,
        )
        # The extractor made it, whoever's request ran the parse (the in-process worker runs
        # inside the upload request): no user in its history, the version in the reason.
        claim._history_user = None  # type: ignore[attr-defined]
        index_to_claim[index] = claim
        new_claims.append(claim)
    bulk_create_with_history(
        new_claims, Claim, default_change_reason=f"extracted by {EXTRACTOR_VERSION}"
    )
    for index, claim in index_to_claim.items():
        parent_index = extracted[index].parent
        if parent_index is not None and parent_index in index_to_claim:
            claim.part_of = index_to_claim[parent_index]
            claim._change_reason = f"part of a total, by {EXTRACTOR_VERSION}"  # type: ignore[attr-defined]
            claim.save(update_fields=["part_of", "updated_at"])


MAX_EXCERPT_CHARS = 1000


def _excerpt_bounded(body: str, item: ExtractedClaim) -> str:
    """The sentence, or for a run-on "sentence" (a scraped page with no full stops) a window
    of the body around the figure: an excerpt is for reading, and it is indexed."""
    if len(item.excerpt) <= MAX_EXCERPT_CHARS:
        return item.excerpt
    start = max(0, item.start - MAX_EXCERPT_CHARS // 2)
    return body[start : start + MAX_EXCERPT_CHARS]


# Claim.figure_low/high are 64-bit and constrained to 0 <= low <= high. A figure such as 10^30
# in the text is not a casualty count; one such draft must not fail the whole article.
_FIGURE_MAX = 2**63 - 1


def _figures_storable(item: ExtractedClaim) -> bool:
    figures = [f for f in (item.figure_low, item.figure_high) if f is not None]
    if any(not 0 <= figure <= _FIGURE_MAX for figure in figures):
        return False
    return (
        item.figure_low is None or item.figure_high is None or item.figure_low <= item.figure_high
    )


def extracted_claim_values(item: ExtractedClaim) -> dict[str, str | int | float | None]:
    """The extractor's output for one claim, as JSON: kept on the claim to measure the
    extractor against what editors approved."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "figure_low": item.figure_low,
        "figure_high": item.figure_high,
        "qualifier": item.qualifier,
        "category": item.category,
        "side": item.side,
        "unit": item.unit,
        "claimant": item.claimant,
        "battle": item.battle,
        "claim_date": iso(item.claim_date),
        "period_start": iso(item.period_start),
        "period_end": iso(item.period_end),
        "period_kind": item.period_kind,
        "basis": item.basis,
        "confidence": item.confidence,
    }


def parse_time_limit_error(*, seconds: float | None = None, killed: bool = False) -> str:
    """What an editor reads on an article whose parse ran out of time: past the soft limit
    the parse is stopped; past the hard limit its worker process is killed."""
    if killed:
        limit = settings.CELERY_TASK_TIME_LIMIT if seconds is None else seconds
        return (
            f"Parsing took longer than {limit} seconds and its worker process was killed: "
            "the text may be too long or have very long lines."
        )
    return (
        f"Parsing took longer than {settings.CELERY_TASK_SOFT_TIME_LIMIT} seconds and was "
        "stopped: the text may be too long or have very long lines."
    )


def article_mark_failed(*, article_id: int, error: str) -> Article:
    with transaction.atomic():
        article = _article_locked(article_id)
        article.status = Article.Status.FAILED
        article.error = error[:5000]
        article.save(update_fields=["status", "error", "updated_at"])
    return article


def article_reparse(*, article_ids: Iterable[int]) -> int:
    """Queues articles to be parsed again by the current extractor. Only their draft claims
    are replaced. Returns how many were queued."""
    ids = list(article_ids)
    with transaction.atomic():
        count = Article.objects.filter(pk__in=ids).update(
            status=Article.Status.QUEUED, error="", updated_at=timezone.now()
        )
        for article_id in Article.objects.filter(pk__in=ids).values_list("pk", flat=True):
            transaction.on_commit(partial(article_enqueue, article_id=article_id, force=True))
    return count


def article_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Enqueues articles left queued (broker down at upload) or stuck reading or parsing
    (worker killed) for longer than `older_than`. Returns how many were enqueued."""
    stale = Article.objects.filter(
        status__in=Article.WAITING_STATUSES,
        updated_at__lt=timezone.now() - older_than,
    ).values_list("pk", flat=True)
    return sum(article_enqueue(article_id=article_id, force=True) for article_id in stale)


@dataclass(frozen=True)
class GoldReview:
    """What gold_drafts_approve did: drafts approved, and drafts of the same articles left
    for an editor (wrong in some field, or not in the gold file at all)."""

    approved: int
    left_for_review: int


def gold_drafts_approve(*, gold_path: Path, user: User, note: str) -> GoldReview:
    """Approves the draft claims of the gold file's articles that match one of its claims with
    every field right, as the extractor's evaluation scores them (ingest.extraction.evaluation);
    the rest stay drafts. A gold claim approves at most one draft, so a figure the article
    repeats is published once. Articles are found by their uploaded file name."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    reference = reference_data_build()

    def canonical(name: str) -> str:
        return canonical_name(name, reference)

    approved = left = 0
    for gold_article in gold["articles"]:
        for article in Article.objects.filter(original_filename=gold_article["file"]):
            drafts = article.claims.filter(status=Claim.Status.DRAFT).select_related(
                "claimant", "battle"
            )
            confirmed: list[dict[str, Any]] = []
            for claim in drafts.order_by("start_offset", "pk"):
                values = {
                    **claim_values_snapshot(claim),
                    "excerpt": claim.excerpt,
                    "start": claim.start_offset,
                }
                # Scored together with the drafts already confirmed: a second draft of a gold
                # claim that one of them matched adds no fully right match, so it stays a draft.
                trial = [*confirmed, values]
                tally = score_article(article.body, gold_article, trial, canonical)
                if tally.all_correct == len(trial):
                    claim_approve(claim=claim, user=user, note=note)
                    confirmed.append(values)
                    approved += 1
                else:
                    left += 1
    return GoldReview(approved=approved, left_for_review=left)
