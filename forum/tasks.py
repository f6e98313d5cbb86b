"""Background tasks of the forum (Django's task framework via django-tasks): e-mail and the SLA digest.

Actions enqueue these with transaction.on_commit; each takes ids, re-reads the rows and is safe to run twice.
Schedule `send_sla_digest` (or the `forum_sla_digest` command) and `escalate_overdue_threads` (or the
`forum_escalate` command) hourly or more often.
"""

from django_tasks import task

from forum import notifications


@task()
def notify_post(post_id):
    return notifications.notify_post(post_id)


@task()
def notify_accepted(thread_id):
    return notifications.notify_accepted(thread_id)


@task()
def notify_sanction(sanction_id):
    return notifications.notify_sanction(sanction_id)


@task()
def notify_sanctions_lifted(user_id):
    return notifications.notify_sanctions_lifted(user_id)


@task()
def notify_dissatisfied(thread_id):
    return notifications.notify_dissatisfied(thread_id)


@task()
def notify_escalation(thread_ids):
    return notifications.notify_escalation(thread_ids)


@task()
def escalate_overdue_threads():
    from forum import actions

    return actions.escalate_overdue_threads()


@task()
def send_sla_digest():
    return notifications.send_sla_digest()
