"""pg_dump and pg_restore (scripts/backup.sh, restore.sh) connect as the site does: the DATABASE_URL's host, port,
user, password and TLS options reach them (libpq reads them from the environment)."""

from portal.management.commands.portal_backup import pg_environment
from portal.settings.base import database_from_url


def test_pg_dump_gets_the_tls_options_of_the_database_url():
    database = database_from_url(
        "postgres://portal:s3cret@db.internal:6432/portal?sslmode=verify-full&sslrootcert=/etc/ssl/bank-ca.pem"
    )

    env = pg_environment(database)

    assert {key: env[key] for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGSSLMODE", "PGSSLROOTCERT")} == {
        "PGHOST": "db.internal",
        "PGPORT": "6432",
        "PGUSER": "portal",
        "PGPASSWORD": "s3cret",
        "PGSSLMODE": "verify-full",
        "PGSSLROOTCERT": "/etc/ssl/bank-ca.pem",
    }


def test_a_plain_database_url_sets_no_tls_option(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)

    env = pg_environment(database_from_url("postgres://portal:portal@127.0.0.1:5432/portal"))

    assert "PGSSLMODE" not in env
