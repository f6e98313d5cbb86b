"""Customer search URLs (under the language prefix): the page and its click beacon."""

from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="page"),
    path("click/", views.record_click, name="click"),
]
