"""Settings shared by every environment. The environment is read in claimsite/env.py."""

import dj_database_url
from csp.constants import NONE, SELF

from claimsite import env

BASE_DIR = env.BASE_DIR

SECRET_KEY = env.SECRET_KEY
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "claims",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "claimsite.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "claimsite.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "claimsite.urls"
WSGI_APPLICATION = "claimsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Health checks: a connection kept from before a database restart is replaced, not used.
DATABASES = {
    "default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any plan it deems costly before running it: ~150 ms on the
    # exports and summaries over a million claims, more than the compiled code saves them.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
    if env.DATABASE_POOL_SIZE:
        # Many threads, few connections: a thread waits for a free one (up to 10 s, then
        # the request fails cleanly with a 503) instead of PostgreSQL refusing the hundredth.
        _options["pool"] = {"min_size": 1, "max_size": env.DATABASE_POOL_SIZE, "timeout": 10}
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
else:
    # The covering index of public filters (Claim.Meta) carries non-key columns for
    # PostgreSQL's index-only scans; SQLite, the embedded default, builds it without them,
    # which is all it needs. Said once here rather than on every manage.py command.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DATASET_RELEASES_DIR = env.DATASET_RELEASES_DIR
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"

# Our pages, the admin and the Swagger UI load scripts and styles from our own static files
# only: no inline script runs, so text an uploaded article smuggles into a page cannot either.
# Redoc needs more and gets it on its own page (claims/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploads: the limit is checked before the whole body is read (see ingest.services).
UPLOAD_MAX_BYTES = env.UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Throttle counters must be shared by every web worker: Redis when there is one.
# A Redis on the same network answers in a millisecond: one that does not answer within half
# a second is taken as away, and the process works without it for a while
# (claimsite/shared_cache.py) instead of waiting on every call.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
if env.REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_CACHE_SECONDS = env.PUBLIC_CACHE_SECONDS
PUBLIC_CACHE_STALE_SECONDS = env.PUBLIC_CACHE_STALE_SECONDS
PUBLIC_CACHE_QUERY_SLOTS = env.PUBLIC_CACHE_QUERY_SLOTS

# Celery: JSON only, so a worker never unpickles anything; ids travel, never ORM objects.
# Without Redis, tasks run in-process; the unused in-memory broker is named with a host so
# that kombu does not warn "No hostname was supplied" on every command.
CELERY_BROKER_URL = env.REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The extractor can take minutes on pathological text (one 5 MB line): past the soft limit the
# article is marked failed with the reason and the worker moves on; the hard limit backs it up.
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down, or silent, must not hold an upload: sending a task waits at most
# about this long (ingest.services.article_enqueue), then the article stays queued and the
# sweep (manage.py sweep_articles) enqueues it later. Workers keep kombu's own timeouts.
ENQUEUE_TIMEOUT_SECONDS = 1.0
# A task whose worker died unacknowledged is delivered again after visibility_timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": env.CELERY_VISIBILITY_TIMEOUT,
}
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-articles": {"task": "ingest.article_sweep", "schedule": 300.0},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "claims.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "claims.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["claims.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "claims.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.ClaimsiteAutoSchema",
    # These throttles read the rates below on each request (DRF's copy them at import).
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonymousThrottle",
        "claims.api.throttling.AuthenticatedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": env.API_ANON_RATE, "user": env.API_USER_RATE},
    "NUM_PROXIES": env.API_NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "claimsite API",
    "DESCRIPTION": (
        "Approved casualty claims from war reporting, with who said them and where. "
        "Reads are public and throttled; uploads need a token with claims.add_article. "
        "Errors share one body: status, code, detail and per-field messages. "
        "The data is under CC BY 4.0; excerpts and article texts stay their publishers'."
    ),
    # The data's licence (LICENSE-DATA.md); the code's is the AGPL (LICENSE).
    "LICENSE": {"name": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.document_errors",
    ],
    # Several models have a "status" / "kind" enum: name each so the schema has no clashes.
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "claims.models.Article.Status",
        "SourceKindEnum": "claims.models.Source.Kind",
        "ClaimCategoryEnum": "claims.models.Claim.Category",
    },
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Browser tools revalidate with the validators the lists send.
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "if-modified-since",
    "if-none-match",
    "user-agent",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks would print a "Task ... succeeded" line per article into the output of
    # the command or request that ran them; failures still show.
    LOGGING["loggers"] = {"celery.app.trace": {"level": "WARNING"}}
