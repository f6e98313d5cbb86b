"""The write side of search: index lifecycle, the outbox drain, rebuild and drift check.

Indices are versioned (`<prefix>-<kind>-v<timestamp>`) behind an alias (`<prefix>-<kind>`). Writes go to
every index of the kind (the aliased one and one a rebuild is filling), with external versions taken
from the moment the database was read, so an older read can never overwrite a newer one. A rebuild
fills a fresh index, then swaps the alias in one atomic call and deletes the old index: no downtime.

`drain()` applies the outbox: for each changed object it reads the current state from the database
(so the rows are idempotent and order does not matter), updates the database fallback's SearchEntry,
sends one bulk request to Elasticsearch, and deletes the rows Elasticsearch acknowledged. Failed rows
stay, with a growing backoff, until a later drain succeeds.
"""

import logging
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from elasticsearch import ApiError, TransportError, helpers

from search import client as es
from search import registry
from search.models import IndexOutbox, SearchEntry

logger = logging.getLogger(__name__)

ES_ERRORS = (ApiError, TransportError, helpers.BulkIndexError, ConnectionError, TimeoutError)
BACKOFF_MAX_SECONDS = 600
WRITE_TIMEOUT = 10  # seconds for an outbox bulk write
REBUILD_TIMEOUT = 120  # seconds for a rebuild's bulk requests and index operations


def alias_name(kind):
    return f"{settings.PORTAL_SEARCH_INDEX_PREFIX}-{kind}"


def new_index_name(kind):
    return f"{alias_name(kind)}-v{timezone.now().strftime('%Y%m%d%H%M%S%f')}"


def first_index_name(kind):
    # Two processes that find no index at the same time create this same one: no duplicate aliases.
    return f"{alias_name(kind)}-v00000000000000000000"


def read_version():
    """External version of a document: when its database state was read (microseconds)."""
    return time.time_ns() // 1000


def index_body(doc_class, building=False):
    mapping = doc_class._doc_type.mapping.to_dict()
    index_settings = {"number_of_shards": 1, "refresh_interval": "-1" if building else "1s"}
    if building:
        index_settings["number_of_replicas"] = 0
    return {"settings": {"index": index_settings}, "mappings": mapping}


# --- Index lifecycle ---------------------------------------------------------------------------------------


def aliased_indices(kind, client=None):
    client = client or es.get_client()
    response = client.options(ignore_status=404).indices.get_alias(name=alias_name(kind))
    return sorted(k for k in response.body if k != "error" and k != "status") if response.meta.status == 200 else []


def kind_indices(kind, client=None):
    """Every versioned index of the kind (the aliased one, plus one a rebuild may be filling)."""
    client = client or es.get_client()
    response = client.options(ignore_status=404).indices.get(
        index=f"{alias_name(kind)}-v*", expand_wildcards="open", filter_path="*.settings.index.provided_name"
    )
    return sorted(response.body) if response.meta.status == 200 else []


def _create_first(kind, client):
    name = first_index_name(kind)
    client.options(ignore_status=400).indices.create(index=name, **index_body(registry.all_kinds()[kind]))
    client.indices.put_alias(index=name, name=alias_name(kind))
    return name


def ensure_index(kind, client=None):
    """Make sure the alias exists (creating the first index if needed); return the indices to write to.

    The first time any kind gets an index, every kind does: searches span all aliases, and an empty
    index answers where a missing one would send every search to the database.
    """
    client = client or es.get_client()
    targets = kind_indices(kind, client)
    if aliased_indices(kind, client):
        return targets
    name = _create_first(kind, client)
    for other in registry.kinds():
        if other != kind and not aliased_indices(other, client):
            _create_first(other, client)
    return sorted({*targets, name})


def ensure_all(client=None):
    client = client or es.get_client()
    for kind in registry.kinds():
        if not aliased_indices(kind, client):
            _create_first(kind, client)


# --- Database fallback entries -----------------------------------------------------------------------------

ENTRY_FIELDS = [
    "locale",
    "audience",
    "slug",
    "title",
    "url",
    "summary",
    "body",
    "notes",
    "facet",
    "facet_label",
    "tags",
    "channels",
    "accepted",
    "rank_boost",
    "updated_at",
    "title_tokens",
    "body_tokens",
    "notes_tokens",
    "suggest_text",
]


def entry_for(rec, analysed):
    from search import analysis

    def tokens(part):
        return " ".join(analysed[part].all_tokens)

    return SearchEntry(
        kind=rec.kind,
        object_pk=rec.pk,
        locale=rec.locale,
        audience=rec.audience,
        slug=rec.slug[:255],
        title=rec.title[:500],
        url=rec.url[:500],
        summary=rec.summary,
        body=rec.body[:20_000],
        notes=rec.notes,
        facet=rec.facet[:255],
        facet_label=rec.facet_label[:255],
        tags=list(rec.tags),
        channels=list(rec.channels),
        accepted=rec.accepted,
        rank_boost=rec.rank_boost,
        updated_at=rec.updated_at,
        title_tokens=tokens("title"),
        body_tokens=tokens("body"),
        notes_tokens=tokens("notes"),
        suggest_text=" | ".join([analysis.normalise(rec.title), *(analysis.normalise(t) for t in rec.tags)]),
    )


def save_entries(entries, deleted=()):
    """Upsert entries and delete (kind, pk) pairs, in one transaction."""
    with transaction.atomic():
        if entries:
            SearchEntry.objects.bulk_create(
                entries,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["kind", "object_pk"],
                update_fields=ENTRY_FIELDS,
            )
        by_kind = {}
        for kind, pk in deleted:
            by_kind.setdefault(kind, []).append(pk)
        for kind, pks in by_kind.items():
            SearchEntry.objects.filter(kind=kind, object_pk__in=pks).delete()


# --- Writing to Elasticsearch ------------------------------------------------------------------------------


def bulk_actions(kind, records, deleted, targets, version):
    doc_class = registry.all_kinds()[kind]
    for pk, (rec, analysed) in records.items():
        source = doc_class.to_source(rec, analysed)
        for index in targets:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": pk,
                "version": version,
                "version_type": "external_gte",
                "_source": source,
            }
    for pk in deleted:
        for index in targets:
            yield {"_op_type": "delete", "_index": index, "_id": pk, "version": version, "version_type": "external_gte"}


def _acknowledged(item):
    op, result = next(iter(item.items()))
    status = result.get("status", 500)
    if status < 300:
        return True
    if op == "delete" and status == 404:
        return True  # already gone
    # A newer read already reached the index: this (older) one is rightly refused.
    return status == 409


def write_to_elasticsearch(kind, records, deleted, version, client=None):
    """One bulk request for the kind. Returns the set of pks that every target acknowledged."""
    client = client or es.get_client().options(request_timeout=max(WRITE_TIMEOUT, settings.PORTAL_SEARCH_TIMEOUT))
    targets = ensure_index(kind, client)
    ok = set(records) | set(deleted)
    failed = set()
    for success, item in helpers.streaming_bulk(
        client,
        bulk_actions(kind, records, deleted, targets, version),
        chunk_size=500,
        raise_on_error=False,
        raise_on_exception=True,
        refresh=settings.PORTAL_SEARCH_REFRESH,
    ):
        if not success and not _acknowledged(item):
            failed.add(next(iter(item.values())).get("_id"))
            logger.warning("search: bulk item failed: %s", str(item)[:300])
    return ok - failed


# --- The outbox --------------------------------------------------------------------------------------------


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
    pks = [str(pk) for pk in pks]
    if not pks:
        return
    IndexOutbox.objects.bulk_create([IndexOutbox(kind=kind, object_pk=pk) for pk in pks])
    schedule_drain()


class _DrainAfterCommit:
    """The on-commit callback; one pending per transaction is enough, however many rows it wrote."""

    def __init__(self):
        self.done = False

    def __call__(self):
        self.done = True
        from search.tasks import drain_outbox

        try:
            drain_outbox.enqueue()
        except Exception:  # the rows are safe in the outbox; a worker or `search_drain` picks them up
            logger.exception("search: could not enqueue the outbox drain")


def schedule_drain():
    """After the current transaction commits, ask the task backend to drain the outbox (once per commit)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(func, _DrainAfterCommit) and not func.done for _ids, func, _robust in connection.run_on_commit
    ):
        return  # Django drops callbacks of rolled-back savepoints, so a pending one will run
    transaction.on_commit(_DrainAfterCommit())


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
    return result


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
                es.report_failure()
                acknowledged, error = set(), f"{type(exc).__name__}: {exc}"[:300]
                logger.warning("search: Elasticsearch write failed, outbox rows kept: %s", error)
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


# --- Rebuild -----------------------------------------------------------------------------------------------


@dataclass
class RebuildResult:
    kind: str
    index: str = ""
    documents: int = 0
    seconds: float = 0.0
    deleted_indices: list = field(default_factory=list)

    @property
    def per_second(self):
        return self.documents / self.seconds if self.seconds else 0.0


def iter_records(doc_class, chunk_size=500):
    chunk = []
    for obj in doc_class.indexable().iterator(chunk_size=chunk_size):
        chunk.append(obj)
        if len(chunk) >= chunk_size:
            yield from doc_class.records(chunk)
            chunk = []
    yield from doc_class.records(chunk)


def _worker_init():
    # A forked analysis worker never touches the database or the cache: no configuration checks.
    from search import analysis

    analysis._state["checked_at"] = float("inf")


def _prepare(job):
    """Analyse one chunk of records (in a worker process when rebuilding many): (pk, source, entry) each."""
    kind, records, with_entries = job
    doc_class = registry.all_kinds()[kind]
    prepared = []
    for rec in records:
        analysed = rec.analysed()
        entry = entry_for(rec, analysed) if with_entries else None
        prepared.append((rec.pk, doc_class.to_source(rec, analysed), entry))
    return prepared


def _chunks(records, size):
    chunk = []
    for rec in records:
        chunk.append(rec)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rebuild_workers(expected):
    """Analysis processes for a rebuild: in-process, unless there are cores to spare beyond two.

    Measured on 2 cores with the node on the same machine (30,000 generated documents, load ~3): since
    the segmenter is rjieba, analysis costs ~0.1 ms a document, no more than Elasticsearch spends indexing
    it. Two forked workers then only add pickling and take the core the node needs: ~1,700-2,250 docs/s
    against ~2,450-2,550 in-process, and twice the Python CPU time. With more cores (untested here) the
    workers may pay off again: one per core beyond the two left to this process and to Elasticsearch.
    """
    import os

    spare = min(4, (os.cpu_count() or 1) - 2)
    return spare if expected >= 2000 and spare > 1 else 1


# 500 documents (~0.8 MB) per bulk request, two sender threads, at most four requests waiting: on 2 cores
# 250 or 1,000 a request, or one or three senders, measured the same within the noise; 500 halves the
# requests of 250 and keeps one request's memory small.
REBUILD_CHUNK_SIZE = 500
REBUILD_SENDERS = 2
REBUILD_IN_FLIGHT = 4


def rebuild(kind, records=None, progress=None, elasticsearch=True, database=True, chunk_size=None, workers=1):
    """Fill a new index (and the database entries) for `kind`, then swap the alias to it atomically.

    `records` defaults to every indexable object of the kind; `progress(n)` is called per chunk. With
    `workers` > 1 the Python analysis runs in that many forked processes while this one reads the
    database, writes the fallback's entries and feeds Elasticsearch from its bulk threads (see
    rebuild_workers for when that pays off).
    """
    import multiprocessing

    doc_class = registry.all_kinds()[kind]
    records = iter_records(doc_class) if records is None else records
    result = RebuildResult(kind=kind)
    started = time.perf_counter()
    # Bulk requests of a rebuild may take seconds on a busy node: not the short timeout searches use.
    client = es.get_client().options(request_timeout=REBUILD_TIMEOUT) if elasticsearch else None
    if client is not None:
        result.index = new_index_name(kind)
        client.indices.create(index=result.index, **index_body(doc_class, building=True))
    seen = set()
    version = read_version()
    jobs = ((kind, chunk, database) for chunk in _chunks(records, chunk_size or REBUILD_CHUNK_SIZE))
    pool = None
    if workers > 1:
        from search import analysis

        analysis.tokenizer()  # build rjieba once; the forked workers share it
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init)

        def in_workers():
            # Records are read here, in this thread (the database connection is this thread's);
            # only their analysis runs in the workers, a few chunks ahead, results in order.
            pending = deque()
            for job in jobs:
                pending.append(pool.apply_async(_prepare, (job,)))
                if len(pending) >= workers * 2:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()

        prepared_chunks = in_workers()
    else:
        prepared_chunks = map(_prepare, jobs)

    def send(operations):
        response = client.bulk(operations=operations)
        if response["errors"]:
            failed = [item for item in response["items"] if not _acknowledged(item)]
            if failed:
                raise RuntimeError(f"bulk indexing failed: {str(failed[0])[:300]}")

    # Bulk requests go out from the sender threads while this one reads, writes entries and waits for analysis;
    # the database is only ever touched from this thread.
    sender = ThreadPoolExecutor(max_workers=REBUILD_SENDERS) if client is not None else None
    in_flight = deque()
    try:
        for prepared in prepared_chunks:
            if database:
                save_entries([entry for _pk, _source, entry in prepared])
            operations = []
            for pk, source, _entry in prepared:
                seen.add(pk)
                operations.append(
                    {"index": {"_index": result.index, "_id": pk, "version": version, "version_type": "external_gte"}}
                )
                operations.append(source)
            if sender is not None and operations:
                in_flight.append(sender.submit(send, operations))
                while len(in_flight) > REBUILD_IN_FLIGHT:
                    in_flight.popleft().result()
            result.documents += len(prepared)
            if progress:
                progress(len(prepared))
        while in_flight:
            in_flight.popleft().result()
    finally:
        if pool is not None:
            pool.terminate()
        if sender is not None:
            sender.shutdown(wait=True, cancel_futures=True)
    if database:
        stale = SearchEntry.objects.filter(kind=kind).exclude(object_pk__in=seen) if len(seen) < 50_000 else None
        if stale is not None:
            stale.delete()
        else:  # too many ids for one IN clause: compare in Python
            ids = [
                i for i, pk in SearchEntry.objects.filter(kind=kind).values_list("id", "object_pk") if pk not in seen
            ]
            for start in range(0, len(ids), 5000):
                SearchEntry.objects.filter(id__in=ids[start : start + 5000]).delete()
    if client is not None:
        client.indices.put_settings(index=result.index, settings={"index": {"refresh_interval": "1s"}})
        client.indices.put_settings(
            index=result.index, settings={"index": {"number_of_replicas": None, "auto_expand_replicas": "0-1"}}
        )
        client.indices.refresh(index=result.index)
        old = aliased_indices(kind, client)
        others = [i for i in kind_indices(kind, client) if i != result.index and i not in old]
        actions = [{"remove": {"index": index, "alias": alias_name(kind)}} for index in old]
        actions.append({"add": {"index": result.index, "alias": alias_name(kind)}})
        client.indices.update_aliases(actions=actions)
        for index in [*old, *others]:
            client.options(ignore_status=404).indices.delete(index=index)
        result.deleted_indices = [*old, *others]
        ensure_all(client)  # searches span every kind's alias
    result.seconds = time.perf_counter() - started
    return result


# --- Drift check -------------------------------------------------------------------------------------------


@dataclass
class CheckResult:
    kind: str
    database_count: int = 0
    index_count: int = 0
    entry_count: int = 0
    missing: list = field(default_factory=list)  # in the database, not in the index
    stale: list = field(default_factory=list)  # in both, but the index has an older version
    extra: list = field(default_factory=list)  # in the index, no longer in the database
    entries_missing: list = field(default_factory=list)
    entries_stale: list = field(default_factory=list)
    entries_extra: list = field(default_factory=list)
    elasticsearch: bool = True

    @property
    def in_sync(self):
        return not (
            self.missing or self.stale or self.extra or self.entries_missing or self.entries_stale or self.entries_extra
        )

    def to_repair(self):
        return sorted(
            {*self.missing, *self.stale, *self.extra, *self.entries_missing, *self.entries_stale, *self.entries_extra}
        )


def _stamp(value):
    if value is None:
        return None
    if isinstance(value, str):
        from datetime import datetime

        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.replace(microsecond=value.microsecond // 1000 * 1000)  # Elasticsearch keeps milliseconds


def check(kind, elasticsearch=True):
    """Compare the database with the index (and with the fallback's entries): counts, missing, stale, extra."""
    doc_class = registry.all_kinds()[kind]
    expected = {}
    for rec in iter_records(doc_class):
        expected[rec.pk] = _stamp(rec.updated_at)
    result = CheckResult(kind=kind, database_count=len(expected), elasticsearch=elasticsearch)
    entries = {
        pk: _stamp(stamp) for pk, stamp in SearchEntry.objects.filter(kind=kind).values_list("object_pk", "updated_at")
    }
    result.entry_count = len(entries)
    result.entries_missing = sorted(set(expected) - set(entries))
    result.entries_extra = sorted(set(entries) - set(expected))
    result.entries_stale = sorted(pk for pk in set(expected) & set(entries) if entries[pk] != expected[pk])
    if elasticsearch:
        client = es.get_client()
        indexed = {}
        if aliased_indices(kind, client):
            for hit in helpers.scan(
                client, index=alias_name(kind), query={"query": {"match_all": {}}}, _source=["updated_at"], size=1000
            ):
                indexed[hit["_id"]] = _stamp(hit["_source"].get("updated_at"))
        result.index_count = len(indexed)
        result.missing = sorted(set(expected) - set(indexed))
        result.extra = sorted(set(indexed) - set(expected))
        result.stale = sorted(pk for pk in set(expected) & set(indexed) if indexed[pk] != expected[pk])
    return result


def repair(result):
    """Queue every drifted object through the outbox and drain it now."""
    pks = result.to_repair()
    with transaction.atomic():
        IndexOutbox.objects.bulk_create([IndexOutbox(kind=result.kind, object_pk=pk) for pk in pks])
    return drain(kinds=[result.kind], limit=max(2000, len(pks) * 2))
