"""The auditor's pages, under audit/."""

from django.urls import path

from bistand.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.search, name="search"),
    path("audit/export.csv", views.export_csv, name="export"),
    path("audit/verify/", views.verify, name="verify"),
    path("audit/extract/", views.register_extract, name="extract"),
]
