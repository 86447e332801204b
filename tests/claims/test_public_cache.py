"""The public cache: reads are kept while the public data is unchanged, and every way the
application changes that data drops them."""

import pytest

from claims.models import Article, Claim
from claims.public_cache import public_cached, public_version
from claims.services import (
    claim_approve,
    claim_return_to_draft,
    claim_update,
    reference_load,
)
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


class Counter:
    """A compute function that says how often it ran."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"calls": self.calls}


def test_a_read_is_computed_once_while_nothing_changes():
    compute = Counter()

    first = public_cached("some-read", compute)
    again = public_cached("some-read", compute)
    other = public_cached("another-read", compute)

    assert first == again == {"calls": 1}
    assert other == {"calls": 2}


def test_a_none_result_is_cached_too():
    calls = []

    def compute():
        calls.append(1)

    public_cached("nothing", compute)
    public_cached("nothing", compute)

    assert len(calls) == 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: ClaimFactory(), id="claim-created"),
        pytest.param(lambda: ClaimFactory().delete(), id="claim-deleted"),
        pytest.param(lambda: BattleFactory(), id="battle-created"),
        pytest.param(lambda: SourceFactory(), id="source-created"),
        pytest.param(lambda: ArticleFactory(), id="article-created"),
        pytest.param(lambda: ClaimFactory().reported_by.add(ArticleFactory()), id="report-added"),
    ],
)
def test_every_change_through_the_orm_drops_cached_reads(change):
    compute = Counter()
    public_cached("read", compute)

    change()

    assert public_cached("read", compute) == {"calls": 2}


def test_a_review_drops_cached_reads(editor):
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    before = public_version()

    claim_approve(claim=claim, user=editor)

    assert public_version() != before


def test_saving_only_an_articles_parse_status_keeps_cached_reads():
    article = ArticleFactory()
    before = public_version()

    article.status = Article.Status.PARSING
    article.save(update_fields=["status", "updated_at"])
    assert public_version() == before

    article.title = "A new title"
    article.save(update_fields=["title", "updated_at"])
    assert public_version() != before


def test_updating_reference_data_drops_cached_reads(tmp_path):
    BattleFactory(name="Battle of Nowhere", conflict="old-conflict")
    battles = tmp_path / "battles.json"
    battles.write_text('{"battles": [{"name": "Battle of Nowhere", "conflict": "new-conflict"}]}')
    sources = tmp_path / "sources.json"
    sources.write_text('{"sources": []}')
    before = public_version()

    result = reference_load(battles_path=battles, sources_path=sources)

    assert result.battles_updated == 1
    assert public_version() != before


def test_the_version_changes_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ClaimFactory()
        during = public_version()
    # Another process may have cached rows from before the commit under `during`.
    assert callbacks and public_version() != during


def test_a_timeout_of_zero_turns_the_cache_off(settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    compute = Counter()

    public_cached("read", compute)

    assert public_cached("read", compute) == {"calls": 2}


def test_an_unreachable_cache_costs_no_read_and_no_change(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    compute = Counter()

    assert public_cached("read", compute) == {"calls": 1}
    assert public_cached("read", compute) == {"calls": 2}
    claim = ClaimFactory()  # the change is saved although the cache can't be told
    assert Claim.objects.filter(pk=claim.pk).exists()


def _another_process_is_computing(key: str) -> str:
    """Takes the fill lock of `key` for the current data, as a process computing it would;
    returns the key its value is kept under."""
    from django.core.cache import cache

    from claims import public_cache

    read = public_cache.ReadKey(key)
    cache.add(public_cache._lock_key(read, public_version()), 1, timeout=10)
    return public_cache._entry_key(read)


def test_a_value_another_process_is_computing_is_awaited_not_computed_again():
    import threading
    import time

    from django.core.cache import cache

    from claims.public_cache import Entry

    entry_key = _another_process_is_computing("read")
    delivered = Entry(public_version(), time.time(), {"calls": "theirs"}, "read")
    threading.Timer(0.2, lambda: cache.set(entry_key, delivered)).start()
    compute = Counter()

    assert public_cached("read", compute) == {"calls": "theirs"}
    assert compute.calls == 0


def test_a_value_nobody_delivers_in_time_is_computed(monkeypatch):
    from claims import public_cache

    monkeypatch.setattr(public_cache, "FILL_WAIT_SECONDS", 0.2)
    _another_process_is_computing("read")  # ... and dies
    compute = Counter()

    assert public_cached("read", compute) == {"calls": 1}


def test_while_another_process_computes_after_a_change_the_previous_value_is_served():
    compute = Counter()
    public_cached("read", compute)
    ClaimFactory()  # a change: the value must be computed again
    _another_process_is_computing("read")

    assert public_cached("read", compute) == {"calls": 1}  # at once, not after the wait
    assert compute.calls == 1


def test_after_a_change_the_first_reader_computes_the_new_value():
    compute = Counter()
    public_cached("read", compute)

    ClaimFactory()

    assert public_cached("read", compute) == {"calls": 2}
    assert public_cached("read", compute) == {"calls": 2}


def test_a_value_keep_refuses_is_returned_but_not_kept():
    compute = Counter()

    first = public_cached("read", compute, keep=lambda value: False)
    again = public_cached("read", compute, keep=lambda value: False)

    assert (first, again) == ({"calls": 1}, {"calls": 2})


@pytest.fixture
def stale_minute(settings, monkeypatch):
    """A stale time of 60 s; returns a function that moves the clock that many seconds on."""
    import time

    settings.PUBLIC_CACHE_STALE_SECONDS = 60
    now = time.time()

    def clock_ahead(seconds: float) -> None:
        monkeypatch.setattr(time, "time", lambda: now + seconds)

    return clock_ahead


def test_after_a_change_a_value_younger_than_the_stale_time_is_still_served(stale_minute):
    compute = Counter()
    public_cached("read", compute)

    ClaimFactory()

    assert public_cached("read", compute) == {"calls": 1}


def test_after_a_change_a_value_older_than_the_stale_time_is_computed_again(stale_minute):
    compute = Counter()
    public_cached("read", compute)
    stale_minute(61)

    assert public_cached("read", compute) == {"calls": 1}  # nothing changed: kept
    ClaimFactory()
    assert public_cached("read", compute) == {"calls": 2}


def test_an_aging_stale_value_is_recomputed_after_the_answer_that_served_it(stale_minute):
    from django.core.signals import request_finished, request_started

    compute = Counter()
    public_cached("read", compute)
    ClaimFactory()  # a change
    stale_minute(31)  # past half the stale time

    request_started.send(sender=None)
    served = public_cached("read", compute)
    assert served == {"calls": 1} and compute.calls == 1  # the answer did not wait
    request_finished.send(sender=None)  # the answer is sent

    assert compute.calls == 2
    assert public_cached("read", compute) == {"calls": 2}


def test_outside_a_request_an_aging_stale_value_is_served_and_left_alone(stale_minute):
    compute = Counter()
    public_cached("read", compute)
    ClaimFactory()
    stale_minute(31)

    assert public_cached("read", compute) == {"calls": 1}
    assert compute.calls == 1


@pytest.mark.parametrize(
    "withdraw",
    [
        pytest.param(
            lambda claim, editor: claim_return_to_draft(claim=claim, user=editor),
            id="sent-back-to-draft",
        ),
        pytest.param(
            lambda claim, editor: claim_update(
                claim=claim, user=editor, data={"figure_low": 1, "figure_high": 1}
            ),
            id="corrected",
        ),
        pytest.param(lambda claim, editor: claim.delete(), id="deleted"),
        pytest.param(lambda claim, editor: claim.article.delete(), id="its-article-deleted"),
    ],
)
def test_taking_back_a_published_claim_shows_at_once_despite_the_stale_time(
    stale_minute, editor, withdraw
):
    claim = ClaimFactory(status=Claim.Status.APPROVED, qualifier="exact")
    compute = Counter()
    public_cached("read", compute)

    withdraw(claim, editor)

    assert public_cached("read", compute) == {"calls": 2}


def test_approving_a_draft_may_show_within_the_stale_time(stale_minute, editor):
    draft = ClaimFactory(status=Claim.Status.DRAFT)
    compute = Counter()
    public_cached("read", compute)

    claim_approve(claim=draft, user=editor)

    assert public_cached("read", compute) == {"calls": 1}
