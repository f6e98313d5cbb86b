"""Bulk work: side effects that every change asks for, done once for the whole batch instead of per change.

A change normally asks, after it commits, for what follows from it: the search outbox drain
(search.indexing.outbox.schedule_drain), the page cache's staleness bump (portal.core.pagecache.bump_on_commit).
For one change that is right; for an import of thousands of rows it is the same drain and the same bump
thousands of times. Inside `with bulk.deferred():` such requests are collected (once per key) and run when the
block ends: after commit when it ends inside a transaction (dropped with a rollback, as on_commit callbacks
are), otherwise at once. The changes themselves are untouched: each row still commits on its own and still
writes its outbox row in its own transaction, so nothing is lost if the batch stops half-way.

A caller that writes many changes in one transaction (the import's batches) can open a `Gathering` around
them: rows that each change asks to write (`gather`, e.g. the search outbox) are collected, repeats dropped,
and written together, in that same transaction, when the caller calls `write()` before committing.
"""

import contextlib
import contextvars
import logging

from django.db import transaction

logger = logging.getLogger(__name__)
_pending = contextvars.ContextVar("portal_bulk_pending", default=None)
_gathering = contextvars.ContextVar("portal_bulk_gathering", default=None)


@contextlib.contextmanager
def deferred():
    """Collect deferred side effects until the block ends, then run each once (nested blocks join the outer)."""
    if _pending.get() is not None:
        yield
        return
    pending = {}
    token = _pending.set(pending)
    failed = True
    try:
        yield
        failed = False
    finally:  # also when the batch stopped half-way: what did commit still gets its side effects
        _pending.reset(token)
        for run in pending.values():
            if not isinstance(run, _Collected):
                transaction.on_commit(run)  # at once outside a transaction
            elif not failed:
                run()  # database writes of the batch's own (an index table): in its transaction, now
            else:
                try:
                    run()
                except Exception:  # do not hide what stopped the batch
                    logger.exception("bulk: deferred work after a failed batch did not run")


def active():
    return _pending.get() is not None


def defer_each(key, item, run):
    """Inside `deferred()`: add `item` to the ones kept under `key`; when the block ends (in its transaction,
    not after commit: for database writes such as an index table), `run(items)` is called once with all of
    them, in the order given (repeats dropped). Returns True; False outside `deferred()`."""
    pending = _pending.get()
    if pending is None:
        return False
    collected = pending.get(key)
    if collected is None:
        collected = pending[key] = _Collected(run)
    collected.items.setdefault(item, None)
    return True


class _Collected:
    def __init__(self, run):
        self.run = run
        self.items = {}

    def __call__(self):
        self.run(list(self.items))


def defer(key, run):
    """Inside `deferred()`: remember `run` under `key` (the first one stays) and return True. Else False."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.setdefault(key, run)
    return True


class Gathering:
    """Rows to write in the current transaction, collected per key until `write()` (see the module docstring).

    `start()` makes it the one `gather` adds to; `stop()` ends that (and drops what was not written: the
    caller rolled back). `write()` runs each key's writer once with its items in order, repeats dropped."""

    def __init__(self):
        self.pending = {}
        self.token = None

    def start(self):
        self.token = _gathering.set(self)
        return self

    def stop(self):
        if self.token is not None:
            _gathering.reset(self.token)
            self.token = None
        self.pending.clear()

    def write(self):
        pending, self.pending = self.pending, {}
        for collected in pending.values():
            collected()


def gather(key, items, write):
    """Inside a started Gathering: keep `items` under `key` for `write(items)` at its `write()`; returns True.
    Outside one: False (the caller writes at once)."""
    gathering = _gathering.get()
    if gathering is None:
        return False
    collected = gathering.pending.get(key)
    if collected is None:
        collected = gathering.pending[key] = _Collected(write)
    for item in items:
        collected.items.setdefault(item, None)
    return True
