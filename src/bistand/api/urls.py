"""The public API, mounted by the site under `api/`."""

from django.urls import path

from bistand.api import intake, supplements, views

app_name = "api"
urlpatterns = [
    path("v1/calculate", views.calculate_view, name="calculate"),
    path("v1/openapi.json", views.openapi_view, name="openapi"),
    path("v1/applications", intake.create_application, name="applications"),
    path("v1/supplements", supplements.create_supplement, name="supplements"),
    path("v1/cases/<int:case_id>", intake.case_detail, name="case"),
    path("v1/dev/token", intake.dev_token, name="dev-token"),
]
