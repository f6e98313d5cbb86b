"""Forum URLs outside the board pages: moderation queues, post and thread actions, poll votes, unsubscribe.

Mounted at /forum/ (and /en/forum/) in front of Wagtail, so boards may not use these first segments
(BoardPage.clean refuses them). Threads themselves are served by their board page (forum/models/pages.py).
"""

from django.urls import path

from forum import views

app_name = "forum"

urlpatterns = [
    path("moderation/", views.moderation_home, name="moderation"),
    path("moderation/pending/", views.pending_queue, name="pending"),
    path("moderation/flagged/", views.flagged_queue, name="flagged"),
    path("moderation/sla/", views.sla_queue, name="sla"),
    path("moderation/audit/", views.audit_log, name="audit"),
    path("moderation/users/<int:user_id>/", views.user_moderation, name="user"),
    path("posts/<int:post_id>/edit/", views.edit_post, name="edit_post"),
    path("posts/<int:post_id>/history/", views.post_history, name="post_history"),
    path("posts/<int:post_id>/<slug:name>/", views.post_action, name="post_action"),
    path("threads/<int:thread_id>/<slug:name>/", views.thread_action, name="thread_action"),
    path("polls/<int:poll_id>/vote/", views.vote, name="vote"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
