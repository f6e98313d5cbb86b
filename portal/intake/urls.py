"""Customer pages of the message board, mounted at /messages/ (and /en/messages/)."""

from django.urls import path

from portal.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.new_message, name="new"),
    path("solved/", views.solved, name="solved"),
    path("find/", views.lookup, name="lookup"),
    path("mine/", views.mine, name="mine"),
    path("call/", views.log_call, name="log_call"),
    path("t/<str:token>/", views.track, name="track"),
    path("t/<str:token>/rate/<int:entry_id>/", views.rate, name="rate"),
    path("t/<str:token>/picture/", views.track_picture, name="track_picture"),
    path("desk/<int:pk>/picture/", views.desk_picture, name="desk_picture"),
]
