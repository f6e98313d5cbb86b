"""Background tasks of search (django-tasks): draining the indexing outbox, and writing the buffered search log.

`drain_outbox` is enqueued after every commit that wrote outbox rows, at most one waiting at a time
(search.indexing.outbox.request_drain). It applies what is due; when Elasticsearch refused or was
unreachable the rows stay with a backoff, and on a backend that can defer (the database worker) the task
schedules itself again - no later than PROBE_SECONDS while Elasticsearch is down, so it also serves as the
health probe: the first run that finds the cluster answering makes every waiting row due and drains them.
With the immediate backend (tests, `make run`) it simply runs after commit; `manage.py search_drain`
drains by hand.
"""

import logging
from datetime import timedelta

from django.db.models import Min
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)
MAX_ROUNDS = 50


@task()
def drain_outbox():
    from search import analysis
    from search import client as es
    from search.indexing import outbox
    from search.models import IndexOutbox

    outbox.drain_started()
    analysis.check_config_now()  # a variant form saved elsewhere changes how these documents are analysed
    # Probe only when the breaker's wait is over (it is open while Elasticsearch just failed): one short request.
    if es.is_configured() and es.is_available() and (es.is_down() or outbox.backlog()) and es.ping():
        es.report_success()
        outbox.resume(enqueue=False)  # this run drains them
    result = outbox.drain()
    rounds = 1
    # A large commit (an import, the demo) may leave more due rows than one pass takes.
    while result.remaining and not result.failed and result.processed and rounds < MAX_ROUNDS:
        more = outbox.drain()
        for name in ("processed", "indexed", "deleted", "failed"):
            setattr(result, name, getattr(result, name) + getattr(more, name))
        result.remaining, result.errors = more.remaining, more.errors
        rounds += 1
    backend = drain_outbox.get_backend()
    if result.remaining and getattr(backend, "supports_defer", False):
        due = IndexOutbox.objects.aggregate(first=Min("next_attempt_at"))["first"]
        if es.is_down():
            probe = timezone.now() + timedelta(seconds=outbox.PROBE_SECONDS)
            due = probe if due is None else min(due, probe)
        if due is not None:
            outbox.request_drain(run_after=due)
    return {
        "processed": result.processed,
        "indexed": result.indexed,
        "deleted": result.deleted,
        "failed": result.failed,
        "remaining": result.remaining,
    }


@task()
def write_search_log(rows):
    """A batch of searches buffered by search.searchlog (asked by GET), stored in one insert."""
    from search import actions

    return actions.write_search_log(rows)
