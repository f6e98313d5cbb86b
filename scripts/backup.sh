#!/usr/bin/env bash
# Back up the database and media of the site in DJANGO_SETTINGS_MODULE into a new directory:
#   scripts/backup.sh /srv/backups/portal-$(date +%F-%H%M)
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python manage.py portal_backup "$@"
