"""The public API, mounted by the site under `api/`."""

from django.urls import path

from bistand.api import views

app_name = "api"
urlpatterns = [
    path("v1/calculate", views.calculate_view, name="calculate"),
    path("v1/openapi.json", views.openapi_view, name="openapi"),
]
