"""Every recurring job of the portal, in one table, and the scheduler process that runs them.

`manage.py run_scheduler` (started by `make run` beside the site; in production the one extra process
next to gunicorn and `db_worker`) keeps APScheduler's cron triggers for the jobs below. When a job is due
it only *enqueues* the `portal.tasks.run_scheduled_job` task (Django's task framework through
django-tasks): the database worker runs it in production, the immediate backend runs it in place under
`make run`. So the scheduler holds no work of its own and the site never depends on it: if it dies, pages
keep being served and the jobs simply wait for it to come back.

A job names a plain callable by dotted path, imported only when it runs, so this module imports no app and
a job whose code has not landed yet (`forum.actions.escalate_overdue_threads`) is listed as "waiting" rather
than breaking the scheduler. Each firing carries its slot (the minute it was due); the task claims the slot
in the shared cache first, so two schedulers started by mistake, or a retried task, run a job once per slot.

Why APScheduler and not django-crontask: django-crontask (the cron scheduler made for Django's task
framework) is APScheduler's BlockingScheduler plus a `@cron` decorator, but every release needs Django 6's
`django.tasks` and Python 3.12+ (2.1+ needs 3.14), while the portal runs Django 5.2 with the django-tasks
backport on Python 3.11. APScheduler 3 is what it is built on: maintained, cron syntax, time zones.
"""

import logging
from dataclasses import dataclass

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str  # stable id: the slot key and the argument of the task
    target: str  # dotted path of a callable (a django-tasks Task is called in place)
    cron: str  # crontab "minute hour day month weekday", in TIME_ZONE; weekdays by name (mon-fri)
    description: str
    args: tuple = ()  # what the callable is called with (plain values: the job table stays data)


JOBS = (
    Job(
        "publish-scheduled",
        "portal.jobs.publish_scheduled",
        "* * * * *",
        _("Publish pages and snippets whose go-live time has come, unpublish expired ones (Wagtail)"),
    ),
    Job(
        "search-outbox",
        "search.tasks.drain_outbox",
        "* * * * *",
        _("Retry search-index changes that Elasticsearch refused or missed"),
    ),
    Job(
        "forum-escalation",
        "forum.actions.escalate_overdue_threads",
        "*/15 * * * *",
        _("Escalate forum threads past the second response threshold to the supervisors"),
    ),
    Job(
        "forum-sla-digest",
        "forum.notifications.send_sla_digest",
        "5 * * * *",
        _("E-mail each moderator the threads past their first-response target"),
    ),
    Job(
        "kb-review-reminders",
        "kb.notifications.send_review_reminders",
        "0 9 * * mon",
        _("E-mail each article owner the articles past or near their review date"),
    ),
    Job(
        "ops-search-days",
        "portal.operations.tasks.summarise_search_days",
        "15 0 * * *",
        _("Count yesterday's search log into the operations dashboard's daily summary"),
    ),
    # The operations reports of the day, week and month just closed, after the night's figures are in. The
    # report remembers what it sent (operations.SentReport), so a re-run or a second slot mails nobody twice.
    Job(
        "ops-report-daily",
        "portal.operations.tasks.send_ops_report",
        "0 7 * * *",
        _("E-mail the Operations role the service centre report of the day just closed"),
        ("daily",),
    ),
    Job(
        "ops-report-weekly",
        "portal.operations.tasks.send_ops_report",
        "10 7 * * mon",
        _("E-mail the Operations role the service centre report of the week just closed"),
        ("weekly",),
    ),
    Job(
        "ops-report-monthly",
        "portal.operations.tasks.send_ops_report",
        "20 7 1 * *",
        _("E-mail the Operations role the service centre report of the month just closed"),
        ("monthly",),
    ),
)


class UnknownJob(KeyError):
    pass


def get_job(name):
    for job in JOBS:
        if job.name == name:
            return job
    raise UnknownJob(name)


def resolve(job):
    """The job's callable, or None while its code is not there (a job scheduled ahead of its code)."""
    try:
        return import_string(job.target)
    except ImportError:
        return None


def run_job(name):
    """Run one job now, in this process. Returns what the job returned ("waiting" when its code is missing)."""
    job = get_job(name)
    target = resolve(job)
    if target is None:
        logger.warning("scheduler: %s is waiting for %s", job.name, job.target)
        return "waiting"
    call = getattr(target, "call", target)  # a django-tasks Task runs in place: we are already in a task
    return call(*job.args)


def trigger(job):
    from apscheduler.triggers.cron import CronTrigger
    from django.utils import timezone

    return CronTrigger.from_crontab(job.cron, timezone=timezone.get_default_timezone())


def enqueue(job_name, slot):
    """What a trigger does: hand the job to the task framework with the slot it fired for."""
    from portal.tasks import run_scheduled_job

    return run_scheduled_job.enqueue(job_name, slot.isoformat())


def build_scheduler(scheduler_class=None):
    """A scheduler holding every job whose code is present (jobs waiting for code are left out)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = (scheduler_class or BlockingScheduler)(
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    )
    for job in JOBS:
        if resolve(job) is None:
            continue
        scheduler.add_job(_fire, trigger(job), args=[job.name], id=job.name, name=job.name)
    return scheduler


def _tidy_connections():
    """Drop connections the database may have timed out (the scheduler runs for days), but never the connection
    of a caller inside a transaction: closing it would end that transaction (on PostgreSQL)."""
    from django.db import close_old_connections, connection

    if not connection.in_atomic_block:
        close_old_connections()


def _fire(job_name):
    from django.utils import timezone

    _tidy_connections()
    slot = timezone.now().replace(second=0, microsecond=0)
    try:
        enqueue(job_name, slot)
    except Exception:  # one failing job (or a database hiccup) must not stop the others
        logger.exception("scheduler: %s failed", job_name)
    finally:
        _tidy_connections()
