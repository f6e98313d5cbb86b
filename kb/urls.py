"""Reader actions on articles and the feed. Articles and categories themselves are served by Wagtail."""

from django.urls import path

from kb import feeds, views

app_name = "kb"
urlpatterns = [
    path("articles/<int:article_id>/feedback/", views.feedback, name="feedback"),
    path("articles/<int:article_id>/used-on-call/", views.used_on_call, name="used_on_call"),
    path("feed/", feeds.RecentArticlesFeed(), name="feed"),
]
