"""Every environment variable the project reads, read here and nowhere else."""

import os
from pathlib import Path
from typing import overload

BASE_DIR = Path(__file__).resolve().parent.parent


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Unset: Celery runs tasks in-process, so a newcomer needs no broker.
REDIS_URL = env_str("REDIS_URL")
SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
API_ANON_RATE = env_str("API_ANON_RATE", "120/minute")
API_USER_RATE = env_str("API_USER_RATE", "2000/minute")
# Reverse proxies in front of the app: throttling reads the client address from the
# X-Forwarded-For entry they added. 0 trusts no header, so a client cannot choose its own.
API_NUM_PROXIES = env_int("API_NUM_PROXIES", 0)
# PostgreSQL connections each web process shares among its threads (gunicorn.conf.py sets
# it); 0: one connection per thread, kept CONN_MAX_AGE seconds (Celery workers, runserver).
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
# How long a public read (counts, summaries, lists) may be served from the cache at most; any
# change through the ORM drops it at once (claims/public_cache.py). 0 turns the cache off.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
# How long after a change public reads may still show the data from before it: each is then
# computed at most once in that time, however often editors change the data.
PUBLIC_CACHE_STALE_SECONDS = env_int("PUBLIC_CACHE_STALE_SECONDS", 30)
# How many answers to query strings (filters, searches, pages) the public cache keeps at most:
# anyone can send endlessly many different ones, and each is kept in one of this many entries.
PUBLIC_CACHE_QUERY_SLOTS = env_int("PUBLIC_CACHE_QUERY_SLOTS", 1000)
# Production only; true unless TLS ends at a proxy that already redirects.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Seconds before Redis hands an unacknowledged task (its worker was killed) to another worker.
# Longer than the slowest parse, or a running task is delivered twice (harmless, but wasted).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
# Where `manage.py dataset_release` writes the numbered releases served at /data/.
DATASET_RELEASES_DIR = Path(env_str("DATASET_RELEASES_DIR", str(BASE_DIR / "releases")))
