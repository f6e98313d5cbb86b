"""The indexing outbox: rows written in the content change's transaction, drained after commit.

`drain()` applies the outbox: for each changed object it reads the current state from the database (so
the rows are idempotent and order does not matter), updates the database backend's SearchEntry, sends
one bulk request to Elasticsearch, and deletes the rows Elasticsearch acknowledged. Failed rows stay,
with a growing backoff, until a later drain succeeds.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from elastic_transport import ConnectionError as TransportConnectionError

from portal.core import bulk as batch
from search import client as es
from search import registry
from search.indexing.bulk import ES_ERRORS, read_version, write_to_elasticsearch
from search.indexing.entries import entry_for, save_entries
from search.models import IndexOutbox, SearchEntry

logger = logging.getLogger(__name__)

BACKOFF_MAX_SECONDS = 600


@dataclass
class DrainResult:
    processed: int = 0
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    remaining: int = 0
    errors: list = field(default_factory=list)


def backoff(attempts):
    return min(BACKOFF_MAX_SECONDS, 2 ** min(attempts, 10))


def enqueue(kind, pks):
    """Write outbox rows (call inside the transaction that changes the objects) and drain after commit."""
    items = [(kind, str(pk)) for pk in pks]
    if not items:
        return
    # In an import's batch (portal.core.bulk.Gathering) the batch writes one row per object before it commits.
    if not batch.gather("search:outbox", items, _write_rows):
        _write_rows(items)
    schedule_drain()


def _write_rows(items):
    IndexOutbox.objects.bulk_create([IndexOutbox(kind=kind, object_pk=pk) for kind, pk in items])


class _DrainAfterCommit:
    """The on-commit callback; one pending per transaction is enough, however many rows it wrote."""

    def __init__(self):
        self.done = False

    def __call__(self):
        self.done = True
        request_drain()


def schedule_drain():
    """After the current transaction commits, ask the task backend to drain the outbox (once per commit).

    Inside portal.core.bulk.deferred() (an import) one drain is asked for when the whole batch is done."""
    if batch.defer("search:drain", request_drain):
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(func, _DrainAfterCommit) and not func.done for _ids, func, _robust in connection.run_on_commit
    ):
        return  # Django drops callbacks of rolled-back savepoints, so a pending one will run
    transaction.on_commit(_DrainAfterCommit())


# --- One pending drain at a time ---------------------------------------------------------------------------
# A drain applies every due row, so one waiting drain serves every commit made before it starts: a commit
# that finds one pending enqueues nothing (the drain clears the mark as it starts, so a commit made while a
# drain runs gets a drain of its own). The mark lives in the shared cache and expires, so a drain lost with
# a dead worker only delays the next one.
PENDING_KEY = "portal_search:drain_pending"
PENDING_SECONDS = 60
# While Elasticsearch is down the waiting drain is also the health probe: it looks this often.
PROBE_SECONDS = 5


def request_drain(run_after=None):
    """Enqueue a drain of the outbox unless one is already waiting. True when this call enqueued it."""
    from django.core.cache import cache

    from search.tasks import drain_outbox

    ttl = PENDING_SECONDS + (max(0, (run_after - timezone.now()).total_seconds()) if run_after else 0)
    try:
        if not cache.add(PENDING_KEY, True, int(ttl)):
            return False
    except Exception:  # no shared cache right now: a drain too many is harmless, none at all is not
        logger.warning("search: the shared cache did not answer; enqueueing the drain anyway")
    try:
        task = drain_outbox.using(run_after=run_after) if run_after else drain_outbox
        task.enqueue()
    except Exception:  # the rows are safe in the outbox; a worker or `search_drain` picks them up
        _clear_pending()
        logger.exception("search: could not enqueue the outbox drain")
        return False
    return True


def _clear_pending():
    from django.core.cache import cache

    try:
        cache.delete(PENDING_KEY)
    except Exception:
        logger.warning("search: the shared cache did not answer; a drain may run twice")


def drain_started():
    """Called by the drain task as it starts: commits from now on need (and get) a drain of their own."""
    _clear_pending()


def resume(enqueue=True):
    """Elasticsearch answers again: every row waiting out a backoff is due now, and (unless the caller is
    the drain itself) a drain is asked for. Returns how many rows were waiting."""
    now = timezone.now()
    waiting = IndexOutbox.objects.filter(next_attempt_at__gt=now).update(next_attempt_at=now)
    if enqueue and (waiting or IndexOutbox.objects.exists()):
        request_drain()
    return waiting


# --- Is the index behind the database? ------------------------------------------------------------------------
# Rows Elasticsearch refused (attempts > 0) mean the index may still show what the database no longer does
# (a hidden post, an unpublished article): for those objects search answers from the database, which the
# drain keeps current even then (search.queries). Asked at most once a second per process; a drain in this
# process updates the answer at once. Beyond BACKLOG_LIMIT objects the database answers every search.
BACKLOG_SECONDS = 1.0
BACKLOG_LIMIT = 500
_backlog = {"checked_at": -BACKLOG_SECONDS, "value": frozenset()}


def backlog():
    """frozenset of (kind, pk) whose changes Elasticsearch refused so far (at most BACKLOG_LIMIT + 1)."""
    now = time.monotonic()
    if now - _backlog["checked_at"] >= BACKLOG_SECONDS:
        rows = IndexOutbox.objects.filter(attempts__gt=0).values_list("kind", "object_pk").distinct()
        _backlog["value"] = frozenset(rows[: BACKLOG_LIMIT + 1])
        _backlog["checked_at"] = now
    return _backlog["value"]


def forget_backlog():
    _backlog["checked_at"] = -BACKLOG_SECONDS


def drain(limit=2000, batch=200, kinds=None):
    """Apply due outbox rows. Safe to run concurrently and repeatedly (each row is idempotent)."""
    result = DrainResult()
    now = timezone.now()
    rows = IndexOutbox.objects.filter(next_attempt_at__lte=now).order_by("id")
    if kinds:
        rows = rows.filter(kind__in=kinds)
    rows = list(rows.values_list("id", "kind", "object_pk", "attempts")[:limit])
    grouped = {}
    for row_id, kind, pk, attempts in rows:
        grouped.setdefault(kind, {}).setdefault(pk, []).append((row_id, attempts))
    known = registry.kinds()
    for kind, by_pk in grouped.items():
        doc_class = known.get(kind)
        if doc_class is None:
            # A kind that is no longer installed: nothing to index, nothing to keep.
            IndexOutbox.objects.filter(id__in=[r for rs in by_pk.values() for r, _a in rs]).delete()
            continue
        pks = list(by_pk)
        for start in range(0, len(pks), batch):
            chunk = pks[start : start + batch]
            _drain_chunk(doc_class, kind, chunk, by_pk, result)
    result.remaining = IndexOutbox.objects.count()
    forget_backlog()
    return result


def reindex_containing(texts):
    """Queue every indexed document whose text contains one of `texts` (as typed, or normalised) and drain.

    For a staff change of a variant form: after this process reloaded the folding, the documents are
    analysed again. Returns how many were queued.
    """
    from django.db.models import Q

    from search import analysis

    needles = {t for text in texts if text for t in (text.strip(), analysis.normalise(text).strip()) if t}
    condition = Q()
    for needle in needles:
        for name in ("title", "body", "notes", "summary", "title_tokens", "body_tokens", "notes_tokens"):
            condition |= Q(**{f"{name}__contains": needle})
    if not needles:
        return 0
    pairs = list(SearchEntry.objects.filter(condition).values_list("kind", "object_pk"))
    if pairs:
        with transaction.atomic():
            IndexOutbox.objects.bulk_create([IndexOutbox(kind=kind, object_pk=pk) for kind, pk in pairs])
            schedule_drain()
    return len(pairs)


def _drain_chunk(doc_class, kind, pks, by_pk, result):
    version = read_version()
    loaded = doc_class.load(pks)
    records = {pk: (rec, rec.analysed()) for pk, rec in loaded.items()}
    deleted = [pk for pk in pks if pk not in records]
    save_entries([entry_for(rec, analysed) for rec, analysed in records.values()], [(kind, pk) for pk in deleted])
    acknowledged = set(pks)
    error = ""
    if es.is_configured():
        if not es.is_available():
            acknowledged, error = set(), "Elasticsearch unavailable (circuit open)"
        else:
            try:
                acknowledged = write_to_elasticsearch(kind, records, deleted, version)
                es.report_success()
            except ES_ERRORS as exc:
                # No node reachable: searches leave Elasticsearch alone too (logged once, search.client). A
                # timeout is usually one hung copy: searches still answer from the other nodes.
                if isinstance(exc, TransportConnectionError):
                    es.report_failure(type(exc).__name__)
                acknowledged, error = set(), f"{type(exc).__name__}: {exc}"[:300]
    done_ids = [row_id for pk in acknowledged for row_id, _a in by_pk[pk]]
    IndexOutbox.objects.filter(id__in=done_ids).delete()
    result.processed += len(pks)
    result.indexed += len([pk for pk in records if pk in acknowledged])
    result.deleted += len([pk for pk in deleted if pk in acknowledged])
    failed = [pk for pk in pks if pk not in acknowledged]
    result.failed += len(failed)
    if failed:
        result.errors.append(error or "bulk items failed")
        now = timezone.now()
        for pk in failed:
            for row_id, attempts in by_pk[pk]:
                IndexOutbox.objects.filter(id=row_id).update(
                    attempts=attempts + 1,
                    next_attempt_at=now + timedelta(seconds=backoff(attempts + 1)),
                    last_error=error or "bulk item failed",
                )
