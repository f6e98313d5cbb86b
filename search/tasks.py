"""Background tasks of search (django-tasks): draining the indexing outbox.

`drain_outbox` is enqueued after every commit that wrote outbox rows. It applies what is due; when
Elasticsearch refused or was unreachable the rows stay with a backoff, and on a backend that can defer
(the database worker) the task schedules itself again for when the first row is due. With the
immediate backend (tests, `make run`) it simply runs after commit; `manage.py search_drain` drains by hand.
"""

import logging

from django.db.models import Min
from django_tasks import task

logger = logging.getLogger(__name__)
MAX_ROUNDS = 50


@task()
def drain_outbox():
    from search import indexing
    from search.models import IndexOutbox

    result = indexing.drain()
    rounds = 1
    # A large commit (an import, the demo) may leave more due rows than one pass takes.
    while result.remaining and not result.failed and result.processed and rounds < MAX_ROUNDS:
        more = indexing.drain()
        for name in ("processed", "indexed", "deleted", "failed"):
            setattr(result, name, getattr(result, name) + getattr(more, name))
        result.remaining, result.errors = more.remaining, more.errors
        rounds += 1
    backend = drain_outbox.get_backend()
    if result.remaining and getattr(backend, "supports_defer", False):
        due = IndexOutbox.objects.aggregate(first=Min("next_attempt_at"))["first"]
        if due is not None:
            drain_outbox.using(run_after=due).enqueue()
    if result.failed:
        logger.warning("search: %s outbox rows could not be applied yet: %s", result.failed, result.errors[:1])
    return {
        "processed": result.processed,
        "indexed": result.indexed,
        "deleted": result.deleted,
        "failed": result.failed,
        "remaining": result.remaining,
    }
