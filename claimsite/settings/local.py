"""Development settings: the default when DJANGO_SETTINGS_MODULE is not set."""

from claimsite import env
from claimsite.settings.base import *  # noqa: F403

DEBUG = env.env_bool("DEBUG", True)
# A fixed key is fine for a laptop; production.py refuses to start without SECRET_KEY.
SECRET_KEY = env.SECRET_KEY or "django-insecure-local-development-only"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
