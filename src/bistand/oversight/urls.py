"""Oversight URLs: the public transparency page and open data under insyn/, staff pages under oversight/."""

from django.urls import path

from bistand.oversight.views import checks, dashboard, public

app_name = "oversight"
urlpatterns = [
    # Public, no sign-in.
    path("insyn/", public.transparency_index, name="transparency-index"),
    path("insyn/<str:code>/", public.transparency_page, name="transparency"),
    path("insyn/<str:code>/rakna/", public.calculator, name="calculator"),
    path("insyn/<str:code>/statistik.csv", public.open_data_csv, name="open-data-csv"),
    path("insyn/<str:code>/statistik.json", public.open_data_json, name="open-data-json"),
    path("insyn/<str:code>/riksnorm.json", public.norm_json, name="norm-json"),
    # Staff.
    path("oversight/", dashboard.dashboard, name="dashboard"),
    path("oversight/export.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path("oversight/budget/", dashboard.budget, name="budget"),
    path("oversight/settings/", dashboard.settings_view, name="settings"),
    path("oversight/appeals/", dashboard.appeals, name="appeals"),
    path("oversight/random-checks/", checks.random_checks, name="random-checks"),
    path("oversight/random-checks/<int:check_id>/", checks.random_check_detail, name="random-check"),
]
