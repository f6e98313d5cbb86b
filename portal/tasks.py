"""Background tasks of the site (Django's task framework via django-tasks): the scheduler's one task.

The scheduler process (portal/scheduler.py) enqueues `run_scheduled_job(name, slot)` when a job is due; the
worker runs it. The slot (the minute the job fell due) is claimed in the shared cache first, so a job runs
once per slot however many schedulers enqueued it or however often the task is retried.
"""

from django.core.cache import cache
from django_tasks import task

SLOT_SECONDS = 24 * 3600


@task()
def run_scheduled_job(name, slot):
    from portal import scheduler

    key = f"scheduler:{name}:{slot}"
    if not cache.add(key, 1, SLOT_SECONDS):
        return "already ran"
    try:
        result = scheduler.run_job(name)
    except Exception:
        cache.delete(key)  # a retry of this slot may run it again
        raise
    return result if isinstance(result, (str, int, float, bool, dict, list, type(None))) else str(result)
