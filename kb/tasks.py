"""Background tasks of the knowledge base (Django's task framework via django-tasks).

Actions enqueue them with transaction.on_commit; each takes ids, re-reads the rows and is safe to run twice.
"""

from django_tasks import task

from kb import notifications


@task()
def send_feedback_comment(feedback_id):
    return notifications.send_feedback_comment(feedback_id)


@task()
def run_article_import(import_id):
    from kb import actions

    result = actions.run_article_import(import_id)
    return None if result is None else {key: result[key] for key in ("created", "updated", "unchanged")}
