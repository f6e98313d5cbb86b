"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "DATABASE_URL": "postgres://portal:secret@db.example-bank.test:5432/portal",
    "ELASTICSEARCH_URL": "http://127.0.0.1:9200",
    "ALLOWED_HOSTS": "help.example-bank.test",
    "EMAIL_HOST": "smtp.example-bank.test",
    "DEFAULT_FROM_EMAIL": "service@example-bank.test",
}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_and_names_every_missing_variable():
    result = _manage("check", env={"DJANGO_SETTINGS_MODULE": "portal.settings.production"})

    assert result.returncode != 0
    assert (
        "Production settings need these environment variables: SECRET_KEY, DATABASE_URL, ELASTICSEARCH_URL, "
        "ALLOWED_HOSTS, EMAIL_HOST, DEFAULT_FROM_EMAIL." in result.stderr
    )


def test_production_names_only_what_is_missing():
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"]

    result = _manage("check", env=env)

    assert "environment variables: SECRET_KEY. See README.md" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_sqlite_with_a_clear_message():
    result = _manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/portal.sqlite3"})

    assert result.returncode != 0
    assert (
        "Production settings refuse SQLite (DATABASE_URL is a sqlite:// URL): use PostgreSQL, e.g. "
        "postgres://portal:…@db.internal:5432/portal. See README.md, 'Configuring production'." in result.stderr
    )


def test_every_sqlite_connection_gets_wal_immediate_transactions_and_a_busy_timeout(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from portal.settings.base import database_from_url, sqlite_database

    for entry in (sqlite_database(tmp_path / "a.sqlite3"), database_from_url(f"sqlite:///{tmp_path / 'b.sqlite3'}")):
        wrapper = DatabaseWrapper(
            {
                **entry,
                "TIME_ZONE": None,
                "CONN_MAX_AGE": 0,
                "CONN_HEALTH_CHECKS": False,
                "AUTOCOMMIT": True,
                "ATOMIC_REQUESTS": False,
                "USER": "",
                "PASSWORD": "",
                "HOST": "",
                "PORT": "",
                "TEST": {},
            }
        )
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            pragmas = {
                name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "busy_timeout", "synchronous")
            }
        assert wrapper.transaction_mode == "IMMEDIATE"
        wrapper.close()
        assert pragmas == {"journal_mode": "wal", "busy_timeout": 20_000, "synchronous": 1}


def test_production_language_cookie_is_secure_and_samesite_lax():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE)",
        env=PRODUCTION_ENV,
    )

    assert result.stdout.strip().splitlines()[-1] == "True Lax", result.stderr
