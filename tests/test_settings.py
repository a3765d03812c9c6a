"""Settings come from the environment; production refuses to start without a SECRET_KEY.

Each check runs Django in a subprocess with a clean environment, because settings are read
once per process (and under pytest the dev key is allowed).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Jx9-Qp2vLr8tZm4NwB7yHc1FsD6gUe0aKoXiPq5RbV_jTnMl",
    "ALLOWED_HOSTS": "studyapp.example.com",
}
SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG, "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]), "HOST": db.get("HOST"),
    "PORT": db.get("PORT"),
    "USER": db.get("USER"), "PASSWORD": db.get("PASSWORD"), "CONN_MAX_AGE": db["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": db["CONN_HEALTH_CHECKS"], "OPTIONS": db.get("OPTIONS", {}),
    "CACHE": s.CACHES["default"]["BACKEND"], "CACHE_LOCATION": s.CACHES["default"].get("LOCATION"),
    "THROTTLE_CACHE": s.CACHES[s.RATELIMIT_USE_CACHE]["BACKEND"],
    "SESSION_ENGINE": s.SESSION_ENGINE, "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT, "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE, "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
}))
"""


def run(args, **env) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "studyapp.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(**env) -> dict:
    result = run(["-c", SHOW_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = run(["-c", "import django; django.setup()"], DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr

    result = run(["manage.py", "check"])  # DEBUG unset means production
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for_and_has_a_dev_key():
    assert settings_with(**PRODUCTION)["DEBUG"] is False
    dev = settings_with(DEBUG="true")
    assert dev["DEBUG"] is True
    assert "127.0.0.1" in dev["ALLOWED_HOSTS"]
    assert dev["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_is_secure_by_default():
    prod = settings_with(**PRODUCTION, CSRF_TRUSTED_ORIGINS="https://studyapp.example.com")
    assert prod["ALLOWED_HOSTS"] == ["studyapp.example.com"]
    assert prod["CSRF_TRUSTED_ORIGINS"] == ["https://studyapp.example.com"]
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SESSION_COOKIE_SECURE"] is True and prod["CSRF_COOKIE_SECURE"] is True
    staging = settings_with(**PRODUCTION, SECURE_SSL_REDIRECT="false")
    assert staging["SECURE_SSL_REDIRECT"] is False


def test_check_deploy_is_clean_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_postgresql():
    prod = settings_with(
        **PRODUCTION, DATABASE_URL="postgres://study:s3cret@db.internal:6543/studyapp_prod"
    )
    assert prod["ENGINE"] == "django.db.backends.postgresql"
    assert (prod["NAME"], prod["HOST"], prod["PORT"]) == ("studyapp_prod", "db.internal", 6543)
    assert (prod["USER"], prod["PASSWORD"]) == ("study", "s3cret")
    assert prod["CONN_MAX_AGE"] == 60 and prod["CONN_HEALTH_CHECKS"] is True


def test_sqlite_is_the_default_with_wal_and_a_busy_timeout():
    dev = settings_with(DEBUG="true")
    assert dev["ENGINE"] == "django.db.backends.sqlite3"
    assert dev["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert "journal_mode=WAL" in dev["OPTIONS"]["init_command"]
    assert dev["OPTIONS"]["timeout"] >= 5


def test_sqlite_connections_use_wal_journal_mode(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0])\n"
    )
    result = run(["-c", code], DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'wal.db'}")
    assert result.returncode == 0, result.stderr
    journal_mode, busy_timeout = result.stdout.split()
    assert journal_mode == "wal"
    assert int(busy_timeout) >= 5000


def test_redis_url_switches_cache_and_sessions_to_redis():
    local = settings_with(DEBUG="true")
    assert local["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert local["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    redis = settings_with(DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/2")
    assert redis["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["CACHE_LOCATION"] == "redis://127.0.0.1:6379/2"
    assert redis["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"


def test_throttle_counters_are_shared_by_every_worker_with_or_without_redis():
    # Never a per-process cache: without Redis the counters live in the database.
    local = settings_with(DEBUG="true")
    assert local["THROTTLE_CACHE"] == "studyapp.throttle_cache.DatabaseCounterCache"
    redis = settings_with(DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/2")
    assert redis["THROTTLE_CACHE"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on"])
def test_debug_accepts_the_usual_spellings_of_true(value):
    assert settings_with(DEBUG=value)["DEBUG"] is True
