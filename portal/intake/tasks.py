"""Background tasks (django-tasks): receipts, replies and the duty digest. Each takes ids and re-reads rows.

Schedule `send_duty_digest` (or `manage.py intake_digest`) every 15 minutes with cron or a systemd timer.
"""

from django_tasks import task

from portal.intake import notifications


@task()
def notify_receipt(message_id):
    return notifications.notify_receipt(message_id)


@task()
def notify_reply(entry_id):
    return notifications.notify_reply(entry_id)


@task()
def send_duty_digest():
    return notifications.send_duty_digest()
