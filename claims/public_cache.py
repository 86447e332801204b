"""A cache for what the public sees, dropped whenever any of it may have changed.

Counting and summarising a million approved claims takes hundreds of milliseconds, yet those
claims change only when an editor reviews one or an article is (re)parsed. Every public read
that is costly to compute is therefore kept under a key that includes one shared version
token; any save or delete of a claim, article, source or battle replaces the token (at once
and again after the transaction commits), so the next read computes afresh. Old entries are
never read again and expire on their own. The timeout also bounds staleness after a change made
behind the ORM's back (raw SQL, queryset.update() outside the services).
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "claims:public-version"
# Saving only these leaves every public page as it was (an article's parse status, attempts):
# the parser writes them several times per article, and would otherwise empty the cache.
ARTICLE_BOOKKEEPING_FIELDS = frozenset(
    {"status", "attempts", "error", "extractor_version", "parsed_at", "updated_at"}
)
T = TypeVar("T")
MISSING = object()


def public_version() -> str:
    """The current token; a new one when the cache holds none (first use, cache flushed)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(): two processes starting at once agree on one token.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def public_data_changed() -> None:
    """Drops every cached public read: at once, for reads later in this transaction, and
    again when it commits, since another process may meanwhile have cached rows from before
    the commit under the first new token."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def public_cached(key: str, compute: Callable[[], T]) -> T:
    """compute()'s value, from the cache while the public data is unchanged. `key` must name
    everything the value depends on besides the data (the path and query, the host...)."""
    value = public_cache_get(key)
    if value is MISSING:
        value = compute()
        public_cache_set(key, value)
    return value


def public_cache_get(key: str):
    """The value kept under `key` for the current public data, or MISSING."""
    if settings.PUBLIC_CACHE_SECONDS <= 0:
        return MISSING
    return cache.get(_full_key(key), MISSING)


def public_cache_set(key: str, value) -> None:
    if settings.PUBLIC_CACHE_SECONDS > 0:
        cache.set(_full_key(key), value, timeout=settings.PUBLIC_CACHE_SECONDS)


def _full_key(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"claims:public:{public_version()}:{digest}"


def request_cache_key(request) -> str:
    """What a cached answer to `request` depends on besides the data: the links in it are
    absolute, so the scheme and host, then the path and query."""
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}"


def _on_save(sender, update_fields=None, **kwargs) -> None:
    bookkeeping_only = (
        sender._meta.model_name == "article"
        and update_fields
        and set(update_fields) <= ARTICLE_BOOKKEEPING_FIELDS
    )
    if not bookkeeping_only:
        public_data_changed()


def _on_change(sender, **kwargs) -> None:
    public_data_changed()


def connect_signals() -> None:
    """Called once from the app's ready(): every way the ORM changes public rows."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from claims.models import Article, Battle, Claim, Source

    for model in (Article, Battle, Claim, Source):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"public-cache-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"public-cache-del-{model}")
    m2m_changed.connect(
        _on_change, sender=Claim.reported_by.through, dispatch_uid="public-cache-reports"
    )
