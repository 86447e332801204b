"""The shared cache (Redis) is a help, never a need: throttle counters and the public cache
read and write it through cache_call(), which answers a fallback when it cannot be reached.

A Redis that refuses connections fails fast, but one that accepts them and never answers
costs each call its socket timeout: a request makes several calls, so after one failure
this process leaves the cache alone for RETRY_AFTER_SECONDS (the throttles then allow every
request and public reads are computed from the database), then tries it again. Each failure
is logged once per pause, and every fallback is counted by purpose (fallback_counts())."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 10.0

_lock = threading.Lock()
_away_until = 0.0
_fallbacks: Counter[str] = Counter()


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


def fallback_counts() -> dict[str, int]:
    """How many cache calls of each purpose this process answered without the cache."""
    with _lock:
        return dict(_fallbacks)


def cache_reset() -> None:
    """Forgets an earlier failure, so the next call tries the cache (tests)."""
    global _away_until
    with _lock:
        _away_until = 0.0
        _fallbacks.clear()


class GuardedCache:
    """The part of the cache API that DRF's throttles use, through cache_call(): a cache
    that is away reads as empty (no request counted yet) and keeps nothing."""

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose

    def get(self, key: str, default: object = None) -> Any:
        return cache_call("get", key, default, purpose=self.purpose, fallback=default)

    def set(self, key: str, value: object, timeout: float | None = None) -> None:
        cache_call("set", key, value, timeout, purpose=self.purpose)
