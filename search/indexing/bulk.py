"""Bulk writes to Elasticsearch, with external versions taken from the moment the database was read,
so an older read can never overwrite a newer one (a refused older write counts as acknowledged)."""

import logging
import time

from django.conf import settings
from elasticsearch import ApiError, TransportError, helpers

from search import client as es
from search import registry
from search.indexing.lifecycle import ensure_index

logger = logging.getLogger(__name__)

ES_ERRORS = (ApiError, TransportError, helpers.BulkIndexError, ConnectionError, TimeoutError)
WRITE_TIMEOUT = es.WRITE_TIMEOUT  # seconds for an outbox bulk write


def read_version():
    """External version of a document: when its database state was read (microseconds)."""
    return time.time_ns() // 1000


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


def acknowledged(item):
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
    # A bulk that timed out is not resent at once: the usual cause is a copy on a hung node, which every node
    # waits for alike until the cluster drops it. The rows stay in the outbox instead.
    client = client or es.get_write_client().options(
        request_timeout=max(WRITE_TIMEOUT, settings.PORTAL_SEARCH_TIMEOUT), retry_on_timeout=False
    )
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
        if not success and not acknowledged(item):
            failed.add(next(iter(item.values())).get("_id"))
            logger.warning("search: bulk item failed: %s", str(item)[:300])
    return ok - failed
