"""The shared cache (Redis) is a help, never a need: throttle counters and the public cache
read and write it through cache_call(), which answers a fallback when it cannot be reached.

A Redis that refuses connections fails fast, but one that accepts them and never answers
costs each call its socket timeout: a request makes several calls, so after one failure
this process leaves the cache alone for RETRY_AFTER_SECONDS (the throttles then allow every
request and public reads are computed from the database), then tries it again. Each failure
is logged once per pause, and every fallback is counted by purpose: by this process
(fallback_counts()) and, so that all of a server's processes can be read together, in the
database (fallback_counts_save(), read with `manage.py cache_fallbacks`)."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from typing import Any

from django.core.cache import cache
from django.db import Error as DatabaseError
from django.db import connection

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 10.0
# A process adds its fallbacks to the database's counts at most this often (each request
# would otherwise write a row): on a fallback or at the end of a request once it is due.
SAVE_EVERY_SECONDS = 10.0

_lock = threading.Lock()
_away_until = 0.0
_fallbacks: Counter[str] = Counter()
_unsaved: Counter[str] = Counter()
_saved_at = -math.inf


def cache_call(
    operation: str, *args: object, purpose: str, fallback: object = None, **kwargs: object
) -> Any:
    """cache.<operation>(...), or `fallback` when the cache cannot be reached or failed
    less than RETRY_AFTER_SECONDS ago. Any: what a cache holds is whatever was put in it."""
    global _away_until
    if time.monotonic() < _away_until:
        _count(purpose)
        return fallback
    try:
        return getattr(cache, operation)(*args, **kwargs)
    except Exception as exc:  # redis raises many types; any of them means "no cache now"
        with _lock:
            _away_until = time.monotonic() + RETRY_AFTER_SECONDS
        _count(purpose)
        logger.warning(
            "Shared cache unavailable (%s failed): for the next %.0f s API requests are not "
            "throttled and public reads are computed from the database: %s",
            purpose,
            RETRY_AFTER_SECONDS,
            exc,
        )
        return fallback


def _count(purpose: str) -> None:
    with _lock:
        _fallbacks[purpose] += 1
        _unsaved[purpose] += 1
    fallback_counts_save(only_when_due=True)


def fallback_counts_save(*, only_when_due: bool = False) -> None:
    """Adds the fallbacks this process counted since it last did to the database's counts
    (claims.services.cache_fallbacks_add); with only_when_due, only SAVE_EVERY_SECONDS after
    the last time. Not inside a transaction: the counts would roll back with it, and their
    rows stay locked until it ends, holding up every other process's counts; they are saved
    later. A database that is away keeps them for next time."""
    global _saved_at
    if connection.in_atomic_block:
        return
    with _lock:
        due = time.monotonic() >= _saved_at + SAVE_EVERY_SECONDS
        if not _unsaved or (only_when_due and not due):
            return
        counts = dict(_unsaved)
        _unsaved.clear()
        _saved_at = time.monotonic()
    from claims.services import cache_fallbacks_add  # an app's models: imported once ready

    try:
        cache_fallbacks_add(counts=counts)
    except DatabaseError as exc:
        with _lock:
            _unsaved.update(counts)
        logger.warning("Could not save the shared cache's fallback counts: %s", exc)


def save_fallbacks_after_request(**kwargs: object) -> None:
    """request_finished: saves the counts once due, also those a pause left after its last
    fallback. A connection opened for it is closed again: the request's own was already
    handed back (as in claims.public_cache)."""
    if not _unsaved or time.monotonic() < _saved_at + SAVE_EVERY_SECONDS:
        return
    had_connection = connection.connection is not None
    fallback_counts_save(only_when_due=True)
    if not had_connection:
        connection.close()


def fallback_counts() -> dict[str, int]:
    """How many cache calls of each purpose this process answered without the cache."""
    with _lock:
        return dict(_fallbacks)


def cache_reset() -> None:
    """Forgets an earlier failure, so the next call tries the cache (tests)."""
    global _away_until, _saved_at
    with _lock:
        _away_until = 0.0
        _fallbacks.clear()
        _unsaved.clear()
        _saved_at = -math.inf


class GuardedCache:
    """The part of the cache API that DRF's throttles use, through cache_call(): a cache
    that is away reads as empty (no request counted yet) and keeps nothing."""

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose

    def get(self, key: str, default: object = None) -> Any:
        return cache_call("get", key, default, purpose=self.purpose, fallback=default)

    def set(self, key: str, value: object, timeout: float | None = None) -> None:
        cache_call("set", key, value, timeout, purpose=self.purpose)
