"""Message desk URLs inside the Wagtail admin (/admin/messages/...)."""

from django.urls import path

from portal.intake import admin_views

app_name = "intake_admin"

urlpatterns = [
    path("", admin_views.queue, name="queue"),
    path("vip/", admin_views.vip, name="vip"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", admin_views.act, name="act"),
]
