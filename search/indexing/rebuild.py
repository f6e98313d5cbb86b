"""Rebuild without downtime: fill a fresh index (and the database entries), then swap the alias atomically."""

import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from search import client as es
from search import registry
from search.indexing.bulk import acknowledged, read_version
from search.indexing.entries import entry_for, save_entries
from search.indexing.lifecycle import (
    REPLICAS,
    alias_name,
    aliased_indices,
    ensure_all,
    index_body,
    kind_indices,
    new_index_name,
)
from search.models import SearchEntry

REBUILD_TIMEOUT = 120  # seconds for a rebuild's bulk requests and index operations


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
    client = es.get_write_client().options(request_timeout=REBUILD_TIMEOUT) if elasticsearch else None
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
            failed = [item for item in response["items"] if not acknowledged(item)]
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
            index=result.index, settings={"index": {"number_of_replicas": None, "auto_expand_replicas": REPLICAS}}
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
