from django.urls import path

from portal.accounts import views

urlpatterns = [path("", views.profile, name="profile")]
