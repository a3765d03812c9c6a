"""Settings for studyapp, configured from the environment (twelve-factor style).

DEBUG is off unless DEBUG=true. With DEBUG off, SECRET_KEY must be set: the site refuses to
start rather than run production with a known key.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from studyapp import content_urls

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Under pytest the dev key and plain-HTTP cookies are allowed (tests run with DEBUG off).
TESTING = env_bool("STUDYAPP_TESTING", False) or "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "django-insecure-dev-only-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=true for local development)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# content never names a quizzes URL: the project gives its models get_absolute_url().
ABSOLUTE_URL_OVERRIDES = content_urls.OVERRIDES

INSTALLED_APPS = [
    "studyapp",
    "profiles",
    "content",
    "quizzes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "studyapp.middleware.refuse_nul_bytes",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "studyapp.middleware.learner_timezone",
    "studyapp.freshness.versions_after_writes",
    "studyapp.middleware.private_pages_not_cached",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so a lockout raised by the login view is turned into the "try again at" page.
    "axes.middleware.AxesMiddleware",
]

# Axes first: it refuses a locked-out username or address before any password is hashed.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "studyapp.auth.ProfileBackend"]

ROOT_URLCONF = "studyapp.urls"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "studyapp.wsgi.application"

# SQLite is the embedded default (WAL journal + busy timeout so a reader never blocks the
# writer); PostgreSQL comes in through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
elif TESTING:
    # One test database per run (the process id), so a developer's run, CI and another worktree
    # can test against one PostgreSQL server at once without dropping each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("PG_TEST_NAME")
        or f"test_{DATABASES['default']['NAME']}_{os.getpid()}"
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Per process; learner page data (studyapp.freshness) is keyed by versions read from the
    # database, so a worker never serves what another worker's write made stale.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
# Learner pages kept per learner and content version (studyapp.freshness). Off in tests, where
# many tests write rows directly and read `response.context`; tests/test_page_cache.py and the
# browser tests turn it on.
PAGE_CACHE = env_bool("PAGE_CACHE", not TESTING)
# Throttle counters must be shared by every worker and server: Redis when there is one, else
# the database (studyapp.throttle_cache: one atomic UPDATE per count).
CACHES["throttle"] = (
    {**CACHES["default"], "KEY_PREFIX": "throttle"}
    if REDIS_URL
    else {"BACKEND": "studyapp.throttle_cache.DatabaseCounterCache"}
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Tests create many users; a fast hasher keeps the suite quick (never used outside tests).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (handwritten Mains answers) are private: MEDIA_ROOT is outside the static
# folders and no URL serves it (MEDIA_URL is unused); quizzes:mains-page sends a file to its
# owner or staff. With AWS_STORAGE_BUCKET_NAME set they go to S3-compatible storage instead
# (django-storages; see the README), private, fetched through the same view.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "private-media"))
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    ANSWERS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", "studyapp"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    # No explicit location: FileSystemStorage follows MEDIA_ROOT (and tests' overrides of it).
    ANSWERS_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "answers": ANSWERS_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or TESTING
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "studyapp <noreply@localhost>")
# Emails to learners (e.g. "your Mains answer has been evaluated") go out only when email is
# configured: EMAIL_HOST or EMAIL_BACKEND set in the environment (or EMAIL_CONFIGURED=true).
EMAIL_CONFIGURED = env_bool(
    "EMAIL_CONFIGURED", bool(os.environ.get("EMAIL_HOST") or os.environ.get("EMAIL_BACKEND"))
)
# The site's own address, for links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")

# Production hardening: on unless DEBUG; each can be switched off for a plain-HTTP staging box.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Branded error pages; a database outage answers 503 (studyapp/errors.py).
CSRF_FAILURE_VIEW = "studyapp.errors.csrf_failure"

# --- Throttling --------------------------------------------------------------------------
# Logins (site and admin) by django-axes, its state in the database so every worker and server
# sees the same count: 10 failures for one username, or from one client address, lock that
# username/address for 15 minutes (the right password is refused too while locked). Each
# failure during the lockout restarts the 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "studyapp.throttling.lockout_response"
# The client address is REMOTE_ADDR unless the site sits behind a proxy that sets
# X-Forwarded-For (TRUSTED_PROXY_COUNT=1): a header a client writes itself must not pick the key.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "studyapp.throttling.client_address"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2"]
AXES_VERBOSE = False

# Password reset, sign-up, starting tests and autosaves by django-ratelimit on the "throttle"
# cache (Redis when REDIS_URL is set, else counters in the database): shared by every worker
# and server either way.
RATELIMIT_USE_CACHE = "throttle"
RATELIMIT_VIEW = "studyapp.errors.too_many_requests"
RATELIMIT_IP_META_KEY = "studyapp.throttling.client_address"
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit knows django-redis but neither Django's own RedisCache (atomic INCR all
    # the same) nor studyapp.throttle_cache (atomic UPDATE, shared through the database).
    "django_ratelimit.E003",
    "django_ratelimit.W001",
]

# --- Browser security headers ------------------------------------------------------------
# A strict CSP: scripts and styles only from our own static files (no inline code or style
# attributes anywhere; a nonce is there for the rare tag that needs one), nothing framed,
# forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# studyapp knobs
CONTENT_PACKS_DIR = BASE_DIR / "content" / "packs"
PRELIMS_DEADLINE_GRACE_SECONDS = 10

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # axes logs every successful login at INFO; lockouts (WARNING) are what matter.
    "loggers": {"axes": {"level": "WARNING"}},
}
