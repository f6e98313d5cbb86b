#!/usr/bin/env bash
# `make run`: the site and, beside it, the scheduler of recurring jobs (portal/scheduler.py).
# The site does not depend on the scheduler: if the scheduler dies, runserver keeps serving. Ctrl-C (or the
# end of runserver for any reason) stops both. A background job of a script ignores Ctrl-C, so the
# scheduler is stopped here, with SIGTERM, which it handles.
set -u
PY=${PY:-.venv/bin/python}
ADDR=${ADDR:-127.0.0.1:8000}

"$PY" manage.py run_scheduler &
scheduler=$!
stop() {
  if kill -0 "$scheduler" 2>/dev/null; then
    kill -TERM "$scheduler" 2>/dev/null
    wait "$scheduler" 2>/dev/null
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

"$PY" manage.py runserver "$ADDR"
