"""Agent console URLs (under the language prefix)."""

from django.urls import path

from search import console

app_name = "console"
urlpatterns = [
    path("", console.console, name="home"),
    path("event/", console.event, name="event"),
]
