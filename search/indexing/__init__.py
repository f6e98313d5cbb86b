"""The write side of search, one module per concern:

- lifecycle: versioned indices behind an alias per kind (created, listed, swapped);
- entries: the database backend's copy of each document (SearchEntry);
- bulk: versioned bulk writes to Elasticsearch;
- outbox: rows written with each content change, drained after commit (one drain waiting at a time);
- rebuild: fill a fresh index and swap the alias, without downtime;
- drift: compare the database with the index and the entries, and repair.

The names most callers need are re-exported here (`indexing.rebuild`, `indexing.drain`, ...).
"""

from search.indexing.bulk import acknowledged, bulk_actions, read_version, write_to_elasticsearch
from search.indexing.drift import CheckResult, check, repair
from search.indexing.entries import entry_for, save_entries
from search.indexing.lifecycle import (
    alias_name,
    aliased_indices,
    ensure_all,
    ensure_index,
    first_index_name,
    index_body,
    kind_indices,
    new_index_name,
)
from search.indexing.outbox import (
    DrainResult,
    backlog,
    backoff,
    drain,
    enqueue,
    forget_backlog,
    reindex_containing,
    request_drain,
    resume,
    schedule_drain,
)
from search.indexing.rebuild import RebuildResult, iter_records, rebuild, rebuild_workers

__all__ = [
    "CheckResult",
    "DrainResult",
    "RebuildResult",
    "acknowledged",
    "alias_name",
    "aliased_indices",
    "backlog",
    "backoff",
    "bulk_actions",
    "check",
    "drain",
    "enqueue",
    "ensure_all",
    "ensure_index",
    "entry_for",
    "first_index_name",
    "forget_backlog",
    "index_body",
    "iter_records",
    "kind_indices",
    "new_index_name",
    "read_version",
    "rebuild",
    "rebuild_workers",
    "repair",
    "reindex_containing",
    "request_drain",
    "resume",
    "save_entries",
    "schedule_drain",
    "write_to_elasticsearch",
]
