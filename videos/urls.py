"""Live Q&A endpoints, mounted at /videos/live/ (before Wagtail's pages; "live" is a reserved series slug)."""

from django.urls import path

from videos import views

app_name = "videos"

urlpatterns = [
    path("<int:episode_id>/ask/", views.ask, name="ask"),
    path("<int:episode_id>/changes/", views.changes, name="changes"),
    path("<int:episode_id>/captions/<str:language>.vtt", views.captions, name="captions"),
    path("questions/<int:question_id>/vote/", views.vote, name="vote"),
    path("questions/<int:question_id>/moderate/", views.moderate, name="moderate"),
]
