"""Test settings: fast hashing, no throttling surprises, static files without a manifest."""

from claimsite import env
from claimsite.settings.base import *  # noqa: F403

SECRET_KEY = env.SECRET_KEY or "django-insecure-test-only"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders as runserver does; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
# Tests look at a page right after changing the data; those about the lag set it themselves.
PUBLIC_CACHE_STALE_SECONDS = 0
WHITENOISE_USE_FINDERS = True
# Integration tests kill workers and wait for their tasks to be delivered again: sweep for
# expired unacknowledged tasks every 10 s instead of kombu's ~100 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_throttle": 1,
}
