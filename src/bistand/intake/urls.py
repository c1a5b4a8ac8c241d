from django.urls import path

from bistand.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("<uuid:reference>/received/", views.received, name="received"),
]
