"""The second step of a staff sign-in."""

from django.urls import path

from bistand.security import views

app_name = "security"
urlpatterns = [
    path("staff/two-factor/", views.two_factor, name="two-factor"),
    path("staff/two-factor/enrol/", views.enrol, name="enrol"),
]
