"""A cache for what the public sees, recomputed when any of it may have changed.

Counting and summarising a million approved claims takes hundreds of milliseconds, yet those
claims change only when an editor reviews one or an article is (re)parsed. Every public read
that is costly to compute is therefore kept with the shared version token it was computed
under; any save or delete of a claim, article, source or battle replaces the token (at once
and again after the transaction commits), so that reads are computed afresh.

Each change would make every page be computed again, and editors at work change the data
every few seconds: after an addition, a kept answer younger than PUBLIC_CACHE_STALE_SECONDS is
still served, so that it shows within that time. Once such an answer is half that old, the
request that got it computes the new one after its own answer is sent (refresh ahead), so
that readers do not wait for recomputations; an older one is computed again by the first
reader while the others get the previous answer (stale while revalidating). Taking back
something published (public_data_withdrawn) shows at once. Signed-in editors' pages never
come from here. PUBLIC_CACHE_SECONDS bounds how long anything is kept, and so staleness after
a change made behind the ORM's back (raw SQL, queryset.update()).

Anyone can send endlessly many query strings (a search's free text, numbers, combinations of
filters), so answers to queries do not each get an entry of their own: they share
PUBLIC_CACHE_QUERY_SLOTS entries, each query always in the same one, which keeps the newest
answer given in it. Random queries can then push out other queries' answers (they are
computed again), never fill the cache (issue 17 item 8).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction

from claimsite.shared_cache import cache_call

if TYPE_CHECKING:  # annotations only: importing DRF here at app start-up is not needed
    from django.db.models import Model
    from django.http import HttpRequest
    from rest_framework.request import Request

logger = logging.getLogger(__name__)
VERSION_KEY = "claims:public-version"
# When something published was last taken back: answers computed before are not served stale.
WITHDRAWN_KEY = "claims:public-withdrawn-at"
# Saving only these leaves every public page as it was (an article's parse status, attempts):
# the parser writes them several times per article, and would otherwise empty the cache.
ARTICLE_BOOKKEEPING_FIELDS = frozenset(
    {"status", "attempts", "error", "extractor_version", "parsed_at", "updated_at"}
)
# How long those asking for a value that another process is computing wait for it.
FILL_WAIT_SECONDS = 10
FILL_POLL_SECONDS = 0.05
T = TypeVar("T")
MISSING = object()


def public_version() -> str | None:
    """The current token; a new one when the cache holds none (first use, cache flushed);
    None when the cache cannot be reached."""
    version = _cache("get", VERSION_KEY, MISSING, fallback=None)
    if version is MISSING:
        version = uuid.uuid4().hex
        # add(): two processes starting at once agree on one token.
        if not _cache("add", VERSION_KEY, version, timeout=None, fallback=False):
            version = _cache("get", VERSION_KEY)
    # Only this module writes the key, and always a str.
    return cast(str | None, version)


def public_data_changed() -> None:
    """Drops every cached public read: at once, for reads later in this transaction, and
    again when it commits, since another process may meanwhile have cached rows from before
    the commit under the first new token."""
    _new_version()
    transaction.on_commit(_new_version)


def public_data_withdrawn() -> None:
    """public_data_changed() for a change that takes back something published (an approved
    claim sent back to draft, corrected, merged away or deleted): no answer computed before
    it is served again, however young. Additions may show a little later; a withdrawal
    shows at once."""
    # The mark before the new token, each time: a reader that sees the new token must also
    # see the mark, or it could serve an answer from before as merely stale.
    _mark_withdrawn()
    transaction.on_commit(_mark_withdrawn)
    public_data_changed()


def _mark_withdrawn() -> None:
    _cache("set", WITHDRAWN_KEY, time.time(), timeout=None)


def _withdrawn_at() -> float:
    # Unknown (the cache is away): as if just now, so nothing is served stale.
    return float(_cache("get", WITHDRAWN_KEY, 0.0, fallback=math.inf))


def _new_version() -> None:
    # The change itself never fails for the cache: what an unreachable cache still holds
    # expires within PUBLIC_CACHE_SECONDS.
    _cache("set", VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _cache(operation: str, *args: object, fallback: object = None, **kwargs: object) -> Any:
    """cache.<operation>(...), or `fallback` when the cache cannot be reached: a cache that
    is away means reading from the database, never a failed request or change."""
    return cache_call(operation, *args, purpose="public cache", fallback=fallback, **kwargs)


class Entry(NamedTuple):
    """A kept value, with the version of the data it was computed from, when (time()), and
    the read it answers (ReadKey.name): answers to queries share entries."""

    version: str
    computed_at: float
    value: Any
    # Empty in entries kept by an older release, which then answer no read.
    key: str = ""


class ReadKey(NamedTuple):
    """What a kept value depends on besides the data (`name`), and whether it answers a query
    string (`queried`): those share a bounded number of entries."""

    name: str
    queried: bool = False


def public_cached(
    key: ReadKey | str | None,
    compute: Callable[[], T],
    *,
    keep: Callable[[T], bool] = lambda value: True,
) -> T:
    """compute()'s value, from the cache while the public data is unchanged. `key` must name
    everything the value depends on besides the data (the path and query, the host...); a
    str is a ReadKey that answers no query. A value for which keep() is false, or whose key
    is None, is returned but not kept.

    After a change, a value computed less than PUBLIC_CACHE_STALE_SECONDS ago is still
    served: a change shows within that time, and a page is computed at most once in it
    however often editors change the data. Once it is half that old, the request that gets
    it computes the new value after its answer is sent (refresh ahead), so that readers do
    not wait for it. An older value is computed again at once by one process; the others
    asking for it meanwhile get the old one, or, when there is none, wait for the new one
    (FILL_WAIT_SECONDS at most, then they compute it too): a hundred clients asking for the
    same page would otherwise compute it a hundred times."""
    read = ReadKey(key) if isinstance(key, str) else key
    if read is None or (read.queried and settings.PUBLIC_CACHE_QUERY_SLOTS <= 0):
        return compute()
    version = _current_version()
    if version is None:
        return compute()
    entry_key = _entry_key(read)
    lock_key = _lock_key(read, version)
    entry = _cache_entry(entry_key, read)
    if entry is not None:
        if entry.version == version:
            return cast(T, entry.value)
        age = time.time() - entry.computed_at
        if age < settings.PUBLIC_CACHE_STALE_SECONDS and entry.computed_at > _withdrawn_at():
            if age >= settings.PUBLIC_CACHE_STALE_SECONDS / 2:
                _fill_after_response(entry_key, read, lock_key, version, compute, keep)
            return cast(T, entry.value)
    # When the cache is away everyone computes (fallback True: "this process took the lock").
    if not _cache("add", lock_key, 1, timeout=FILL_WAIT_SECONDS, fallback=True):
        if entry is not None:
            return cast(T, entry.value)
        deadline = time.monotonic() + FILL_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(FILL_POLL_SECONDS)
            entry = _cache_entry(entry_key, read)
            if entry is not None and entry.version == version:
                return cast(T, entry.value)
    return _fill(entry_key, read, lock_key, version, compute, keep)


def _fill(
    entry_key: str,
    read: ReadKey,
    lock_key: str,
    version: str,
    compute: Callable[[], T],
    keep: Callable[[T], bool],
) -> T:
    """Computes and keeps the value, then lets go of the lock taken to compute it."""
    try:
        computed_at = time.time()
        value = compute()
        if keep(value):
            kept = Entry(version, computed_at, value, read.name)
            _cache("set", entry_key, kept, timeout=settings.PUBLIC_CACHE_SECONDS)
    finally:
        _cache("delete", lock_key)
    return value


# The computations the current request leaves for after its answer is sent (per thread: a
# request is served by one thread from start to finish).
_request = threading.local()


def _fill_after_response(
    entry_key: str,
    read: ReadKey,
    lock_key: str,
    version: str,
    compute: Callable[[], T],
    keep: Callable[[T], bool],
) -> None:
    """Has the value computed once the current request's answer is sent, unless another
    process already computes it. Outside a request nothing is done: a later read will."""
    pending: list[Callable[[], object]] | None = getattr(_request, "pending", None)
    if pending is None or not _cache("add", lock_key, 1, timeout=FILL_WAIT_SECONDS):
        return
    pending.append(lambda: _fill(entry_key, read, lock_key, version, compute, keep))


def _request_started(**kwargs: object) -> None:
    _request.pending = []


def _request_finished(**kwargs: object) -> None:
    """Runs the computations left for after the answer (Django sends request_finished once
    the server has sent it). A connection opened for them is closed here: the request's own
    was already handed back, and this thread may now wait long for its next request."""
    pending, _request.pending = getattr(_request, "pending", None) or [], None
    if not pending:
        return
    had_connection = connection.connection is not None
    for fill in pending:
        try:
            fill()
        except Exception:  # the answer is sent: a failed refresh is logged, and tried again
            logger.exception("Refreshing a public read after its answer failed")
    if not had_connection:
        connection.close()


def _cache_entry(entry_key: str, read: ReadKey) -> Entry | None:
    entry = _cache("get", entry_key, None, fallback=None)
    # Another query's answer in a shared entry, or what an older release kept: computed again.
    return entry if isinstance(entry, Entry) and entry.key == read.name else None


def _current_version() -> str | None:
    """None when nothing is to be cached: the cache is off or cannot be reached."""
    if settings.PUBLIC_CACHE_SECONDS <= 0:
        return None
    return public_version()


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _lock_key(read: ReadKey, version: str) -> str:
    # Per read, not per entry: two queries sharing an entry are computed side by side rather
    # than one waiting for the other's answer. Each lock lives FILL_WAIT_SECONDS at most.
    return f"claims:public:filling:{_digest(read.name)}:{version}"


def _entry_key(read: ReadKey) -> str:
    """One entry per read that answers no query (a page, a claim: as many as there are rows),
    a newer value replacing the older one; answers to queries share PUBLIC_CACHE_QUERY_SLOTS
    entries, each query always in the same one."""
    digest = _digest(read.name)
    if read.queried:
        return f"claims:public:query:{int(digest, 16) % settings.PUBLIC_CACHE_QUERY_SLOTS}"
    return "claims:public:" + digest


def request_cache_key(request: HttpRequest | Request, *, params: Collection[str]) -> ReadKey | None:
    """What a cached answer to `request` depends on besides the data: the links in it are
    absolute, so the scheme and host, then the path and the query, its parameters in one
    order. `params` are those the view takes. None (compute, keep nothing) for a query with
    any other parameter or a repeated one; answers to the others share a bounded number of
    entries (ReadKey.queried), so that random query strings cannot fill the cache."""
    query = request.GET
    if any(name not in params or len(values) > 1 for name, values in query.lists()):
        return None
    normalised = urlencode(sorted(query.items()))
    name = f"{request.scheme}://{request.get_host()}{request.path}?{normalised}"
    return ReadKey(name, queried=bool(query))


def _on_save(
    sender: type[Model], update_fields: frozenset[str] | None = None, **kwargs: object
) -> None:
    bookkeeping_only = (
        sender._meta.model_name == "article"
        and update_fields
        and set(update_fields) <= ARTICLE_BOOKKEEPING_FIELDS
    )
    if not bookkeeping_only:
        public_data_changed()


def _on_change(sender: type[Model], **kwargs: object) -> None:
    public_data_changed()


def _on_delete(sender: type[Model], instance: Model, **kwargs: object) -> None:
    from claims.models import Claim

    if isinstance(instance, Claim) and instance.status == Claim.Status.APPROVED:
        public_data_withdrawn()
    else:
        public_data_changed()


def connect_signals() -> None:
    """Called once from the app's ready(): every way the ORM changes public rows, and the
    request boundaries that refreshes ahead run at."""
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from claims.models import Article, Battle, Claim, Source

    for model in (Article, Battle, Claim, Source):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"public-cache-save-{model}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"public-cache-del-{model}")
    m2m_changed.connect(
        _on_change, sender=Claim.reported_by.through, dispatch_uid="public-cache-reports"
    )
    request_started.connect(_request_started, dispatch_uid="public-cache-request-started")
    request_finished.connect(_request_finished, dispatch_uid="public-cache-request-finished")
