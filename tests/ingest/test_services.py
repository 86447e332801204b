import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from claims.models import Article, Claim
from ingest import services
from ingest.extraction import EXTRACTOR_VERSION
from ingest.services import (
    GoldReview,
    UploadError,
    article_parse,
    article_reparse,
    article_submit,
    article_submit_file,
    article_sweep,
    gold_drafts_approve,
)
from ingest.tasks import article_parse_task
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Officials count the toll\n"
    "March 3, 2023\n\n"
    "Around 20,000 Russian troops were killed in the fighting, the president said on Monday.\n"
    "The town had a pre-war population of 70,000.\n"
)


@pytest.fixture
def submitted(django_capture_on_commit_callbacks):
    def submit(text: str = TEXT, **fields) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            submission = article_submit(content=text.encode(), filename="a.txt", **fields)
        submission.article.refresh_from_db()
        return submission.article

    return submit


def test_submitted_article_is_parsed_into_draft_claims(submitted):
    article = submitted()
    assert article.status == Article.Status.PARSED
    assert article.extractor_version == EXTRACTOR_VERSION
    assert article.attempts == 1
    claim = article.claims.get()
    assert (claim.figure_low, claim.figure_high, claim.qualifier) == (20000, 20000, "approx")
    assert (claim.category, claim.side, claim.status) == ("killed", "russia", "draft")
    assert article.body[claim.start_offset : claim.end_offset] == "20,000"
    assert claim.extracted_values["figure_low"] == 20000
    assert claim.history.get().history_type == "+"


def test_article_is_saved_queued_before_the_parse_is_enqueued(
    django_capture_on_commit_callbacks, monkeypatch
):
    from ingest.tasks import article_parse_task

    enqueued = []
    monkeypatch.setattr(
        article_parse_task, "apply_async", lambda args, kwargs, **options: enqueued.append(args)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = article_submit(content=TEXT.encode())
    assert submission.created
    assert Article.objects.get().status == Article.Status.QUEUED
    assert enqueued == []  # not before the commit

    for callback in callbacks:
        callback()

    assert enqueued == [(submission.article.pk,)]


def test_the_same_file_uploaded_twice_is_one_article(submitted):
    first = submitted()
    second = article_submit(content=TEXT.encode(), filename="again.txt")
    assert not second.created
    assert second.article == first
    assert "already has this text" in second.message
    assert Article.objects.count() == 1


def test_the_same_text_in_other_bytes_is_marked_a_duplicate_once_read(submitted):
    # Known only once read (other spacing here; another encoding alike): the upload is
    # accepted, and the worker finds the text taken.
    first = submitted()
    second = submitted("\n" + TEXT.replace(" the ", "  the "))
    assert second != first
    assert second.status == Article.Status.DUPLICATE
    assert second.error == (f"Not parsed: article {first.pk} ({first}) already has this text.")
    assert (second.body, second.content_hash) == ("", "")
    assert bytes(second.original_content) == ("\n" + TEXT.replace(" the ", "  the ")).encode()
    assert not second.claims.exists() and first.claims.count() == 1


def test_duplicate_uploads_in_parallel_make_one_article(monkeypatch):
    # The other request saved the same bytes between this one's look-up and its insert: the
    # unique hash of the bytes refuses the second row, which answers with the first.
    first = article_submit(content=TEXT.encode(), filename="a.txt").article
    look_ups = iter([None])
    real = services._article_duplicate
    monkeypatch.setattr(
        services, "_article_duplicate", lambda **kwargs: next(look_ups, None) or real(**kwargs)
    )

    second = article_submit(content=TEXT.encode(), filename="b.txt")

    assert (second.created, second.article, second.duplicate_reason) == (False, first, "this text")
    assert Article.objects.count() == 1


def test_two_workers_reading_the_same_text_make_one_duplicate(submitted, monkeypatch):
    # The other worker stored the text between this one's look-up and its save: the unique
    # content hash refuses it, and the article is marked a duplicate, not failed.
    first = submitted()
    look_ups = iter([None])
    real = services._article_same_text
    monkeypatch.setattr(
        services, "_article_same_text", lambda **kwargs: next(look_ups, None) or real(**kwargs)
    )

    second = submitted(TEXT + "\n\n")

    assert second.status == Article.Status.DUPLICATE and str(first.pk) in second.error


def test_the_same_url_twice_is_one_article(submitted):
    first = submitted(url="https://news.example/a")
    second = article_submit(content=b"Other words entirely.", url="https://news.example/a")
    assert (second.created, second.article, second.duplicate_reason) == (False, first, "this URL")


def test_given_metadata_wins_over_the_text(submitted):
    article = submitted(title="Given title", published=timezone.now().date(), outlet_name="Daily")
    assert article.title == "Given title"
    assert article.published_date == timezone.now().date()
    assert article.outlet.name == "Daily"
    assert article.original_content == TEXT.encode()


class UnreadableUpload(SimpleUploadedFile):
    def read(self, *args):
        raise AssertionError("the upload was read")


@override_settings(UPLOAD_MAX_BYTES=100)
def test_oversized_upload_is_refused_before_it_is_read():
    upload = UnreadableUpload("big.txt", b"x" * 101, content_type="text/plain")
    with pytest.raises(UploadError, match="limit is 100"):
        article_submit_file(file=upload)
    assert not Article.objects.exists()


def test_binary_upload_is_refused_with_the_reason():
    with pytest.raises(UploadError, match="photo.png: The file is a PNG image"):
        article_submit(content=b"\x89PNG\r\n\x1a\n....", filename="photo.png")


def test_parsing_twice_changes_nothing(submitted):
    article = submitted()
    claim_ids = list(article.claims.values_list("pk", flat=True))
    article_parse(article_id=article.pk)
    assert list(article.claims.values_list("pk", flat=True)) == claim_ids
    article.refresh_from_db()
    assert article.attempts == 1


def test_reparse_replaces_drafts_and_never_touches_reviewed_claims(
    submitted, editor, django_capture_on_commit_callbacks
):
    article = submitted(TEXT + "Kyiv says 1,500 Ukrainian soldiers were wounded.\n")
    approved, draft = article.claims.order_by("start_offset")
    Claim.objects.filter(pk=approved.pk).update(status=Claim.Status.APPROVED, reviewed_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert article_reparse(article_ids=[article.pk]) == 1
    claims = article.claims.order_by("start_offset")
    assert [c.status for c in claims] == ["approved", "draft"]
    assert claims[0].pk == approved.pk
    assert claims[1].pk != draft.pk
    assert not Claim.objects.filter(pk=draft.pk).exists()


def test_extractor_error_marks_the_article_failed(submitted, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("rule table missing")

    monkeypatch.setattr(services, "extract_article", broken)
    article = submitted()
    assert article.status == Article.Status.FAILED
    assert article.error == "RuntimeError: rule table missing"
    assert not article.claims.exists()


def test_crash_while_writing_claims_leaves_old_drafts_and_a_failed_article(submitted, monkeypatch):
    article = submitted()
    old_drafts = list(article.claims.values_list("pk", flat=True))

    def crash(*args, **kwargs):
        raise MemoryError("worker ran out of memory")

    monkeypatch.setattr(services, "bulk_create_with_history", crash)
    article_parse_task.apply(args=[article.pk], kwargs={"force": True})
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "worker ran out of memory" in article.error
    assert list(article.claims.values_list("pk", flat=True)) == old_drafts


def test_broker_down_at_upload_keeps_the_article_queued_for_the_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(article_parse_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        submission = article_submit(content=TEXT.encode())
    article = Article.objects.get(pk=submission.article.pk)
    assert article.status == Article.Status.QUEUED

    monkeypatch.undo()
    assert article_sweep(older_than=timedelta(minutes=5)) == 0  # not stale yet
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert article_sweep(older_than=timedelta(minutes=5)) == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PARSED
    assert article.claims.count() == 1


def test_a_run_on_sentence_gives_an_excerpt_around_the_figure(submitted):
    filler = " and then the column moved on" * 200
    article = submitted(f"Officials said{filler} while 4,500 soldiers were killed{filler}")
    claim = article.claims.get()
    assert len(claim.excerpt) == services.MAX_EXCERPT_CHARS
    assert "4,500 soldiers were killed" in claim.excerpt
    assert claim.excerpt in article.body


def test_a_figure_too_large_to_store_is_skipped_and_the_article_still_parsed(submitted):
    article = submitted(
        "The ministry said 1000000000000000000000000000000 soldiers were killed near the town, "
        "and 300 were captured, the army said on Monday."
    )
    assert article.status == Article.Status.PARSED, article.error
    assert all(claim.figure_low < 10**12 for claim in article.claims.all())


def test_a_number_too_long_for_a_float_does_not_fail_the_article(submitted):
    article = submitted("The ministry said " + "9" * 309 + " soldiers and 250 tanks were lost.")

    assert article.status == Article.Status.PARSED, article.error


def test_a_parse_over_the_time_limit_marks_the_article_failed_with_the_reason(
    submitted, monkeypatch
):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "extract_article", too_slow)
    article = submitted()
    assert article.status == Article.Status.FAILED
    assert article.error.startswith("Parsing took longer than 300 seconds and was stopped")


GOLD_BODY = (
    "Governor Ilona Varga said on Monday that 420 soldiers were killed near Placeville. "
    "Later that day she repeated that 420 soldiers had been killed. "
    "A ministry added that 75 soldiers were captured."
)


def _gold_file(tmp_path, battle_name):
    claim = {
        "figure_low": 420,
        "figure_high": 420,
        "qualifier": "exact",
        "category": "killed",
        "side": "russia",
        "unit": None,
        "claimant": "Ilona Varga",
        "battle": battle_name,
        "claim_date": "2023-06-05",
        "excerpt": GOLD_BODY.split(". ")[0] + ".",
    }
    captured = {
        **claim,
        "figure_low": 75,
        "figure_high": 75,
        "category": "captured",
        "side": "ukraine",
        "claimant": "ministry",
        "claim_date": None,
        "excerpt": "A ministry added that 75 soldiers were captured.",
    }
    gold = {"format": "test", "articles": [{"file": "varga.txt", "claims": [claim, captured]}]}
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


def test_gold_drafts_approve_publishes_only_drafts_right_in_every_field(tmp_path, editor):
    article = ArticleFactory(original_filename="varga.txt", body=GOLD_BODY)
    varga = SourceFactory(name="Ilona Varga")
    battle = BattleFactory()
    ministry = SourceFactory(name="ministry")
    right = ClaimFactory(
        article=article,
        claimant=varga,
        battle=battle,
        figure_low=420,
        figure_high=420,
        claim_date=date(2023, 6, 5),
        excerpt=GOLD_BODY.split(". ")[0] + ".",
        start_offset=41,
        end_offset=44,
    )
    repeated = ClaimFactory(
        article=article,
        claimant=varga,
        battle=battle,
        figure_low=420,
        figure_high=420,
        claim_date=date(2023, 6, 5),
        excerpt="Later that day she repeated that 420 soldiers had been killed.",
        start_offset=116,
        end_offset=119,
    )
    wrong_side = ClaimFactory(
        article=article,
        claimant=ministry,
        battle=battle,
        category=Claim.Category.CAPTURED,
        side="russia",
        figure_low=75,
        figure_high=75,
        claim_date=None,
        excerpt="A ministry added that 75 soldiers were captured.",
        start_offset=168,
        end_offset=170,
    )
    untouched = ClaimFactory()  # an article the gold file does not list

    review = gold_drafts_approve(
        gold_path=_gold_file(tmp_path, battle.name), user=editor, note="demo"
    )

    assert review == GoldReview(approved=1, left_for_review=2)
    statuses = {c.pk: c.status for c in Claim.objects.all()}
    assert statuses[right.pk] == Claim.Status.APPROVED
    assert statuses[repeated.pk] == Claim.Status.DRAFT
    assert statuses[wrong_side.pk] == Claim.Status.DRAFT
    assert statuses[untouched.pk] == Claim.Status.DRAFT
    right.refresh_from_db()
    assert right.reviewed_by == editor and right.history.first().history_change_reason == "approved"


def test_gold_drafts_approve_refuses_a_user_who_may_not_approve(tmp_path, viewer):
    article = ArticleFactory(original_filename="varga.txt", body=GOLD_BODY)
    claim = ClaimFactory(
        article=article,
        claimant=SourceFactory(name="Ilona Varga"),
        figure_low=420,
        figure_high=420,
        claim_date=date(2023, 6, 5),
        excerpt=GOLD_BODY.split(". ")[0] + ".",
        start_offset=41,
        end_offset=44,
    )
    with pytest.raises(PermissionDenied):
        gold_drafts_approve(
            gold_path=_gold_file(tmp_path, claim.battle.name), user=viewer, note="demo"
        )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT


# --- Reading the upload, in the worker (issue 17 item 10) ------------------------------------

PAGE = (
    "<html><head><title>Front line report</title>"
    '<meta name="author" content="Ann Writer"></head>'
    f"<body><article><p>{TEXT}</p></article></body></html>"
).encode()


def test_an_upload_is_stored_unread_and_the_worker_reads_it(
    django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        submission = article_submit(content=PAGE, filename="page.html", content_type="text/html")
    article = Article.objects.get(pk=submission.article.pk)
    assert (article.status, article.body, article.title, article.is_read) == (
        Article.Status.QUEUED,
        "",
        "",
        False,
    )

    statuses_while_reading = []
    read = services.document_read

    def spy(*args, **kwargs):
        statuses_while_reading.append(Article.objects.get(pk=article.pk).status)
        return read(*args, **kwargs)

    monkeypatch.setattr(services, "document_read", spy)
    for send in enqueued:
        send()

    article.refresh_from_db()
    assert statuses_while_reading == [Article.Status.READING]
    assert article.status == Article.Status.PARSED and article.attempts == 1
    assert article.body.startswith("Officials count the toll") and article.is_read
    assert (article.title, article.author) == ("Front line report", "Ann Writer")
    assert bytes(article.original_content) == PAGE


def test_the_uploaders_metadata_wins_over_the_pages(submitted):
    article = submitted(PAGE.decode(), title="Given", author="Given author")
    assert (article.title, article.author) == ("Given", "Given author")


def test_an_unreadable_upload_fails_with_the_reason_and_keeps_its_bytes(submitted):
    content = "<html><body><!-- only a comment --></body></html>"
    article = submitted(content)
    assert article.status == Article.Status.FAILED
    assert article.error == "a.txt: The HTML page has no readable article text."
    assert bytes(article.original_content) == content.encode() and article.body == ""


def test_reparsing_never_reads_the_upload_again(submitted, monkeypatch):
    # The claims' offsets index the text read the first time.
    article = submitted(PAGE.decode())

    def unexpected(*args, **kwargs):
        raise AssertionError("the upload was read again")

    monkeypatch.setattr(services, "document_read", unexpected)
    article_parse(article_id=article.pk, force=True)
    article.refresh_from_db()
    assert article.status == Article.Status.PARSED and article.attempts == 2


def test_a_reader_bug_fails_the_article_which_is_read_again_on_retry(
    submitted, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("lxml fell over")

    monkeypatch.setattr(services, "document_read", broken)
    article = submitted(PAGE.decode())
    assert (article.status, article.error) == (
        Article.Status.FAILED,
        "RuntimeError: lxml fell over",
    )
    assert bytes(article.original_content) == PAGE and article.body == ""

    monkeypatch.undo()  # the bug fixed, the editor retries
    with django_capture_on_commit_callbacks(execute=True):
        article_reparse(article_ids=[article.pk])
    article.refresh_from_db()
    assert (article.status, article.error, article.title) == ("parsed", "", "Front line report")
    assert article.claims.count() == 1


def test_reading_over_the_time_limit_marks_the_article_failed(submitted, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "document_read", too_slow)
    article = submitted()
    assert article.status == Article.Status.FAILED
    assert article.error.startswith("Parsing took longer than 300 seconds and was stopped")


def test_the_sweep_also_retries_an_article_left_reading(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        article = article_submit(content=TEXT.encode()).article
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.READING, updated_at=timezone.now() - timedelta(hours=1)
    )
    assert article_sweep(older_than=timedelta(minutes=5)) == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PARSED
