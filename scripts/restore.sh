#!/usr/bin/env bash
# Restore a backup into the (fresh, empty) database and media folder of DJANGO_SETTINGS_MODULE, then rebuild search:
#   createdb portal_restored && DATABASE_URL=postgres://…/portal_restored scripts/restore.sh /srv/backups/portal-2026-12-01-2300
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python manage.py portal_restore "$@"
