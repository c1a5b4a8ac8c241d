from django.urls import path

from bistand.identity import oidc_views, views

app_name = "identity"
urlpatterns = [
    path("login/", views.citizen_login, name="citizen-login"),
    path("login/dev-eid/", views.dev_eid, name="dev-eid"),
    path("login/eid/", oidc_views.oidc_login, name="oidc-login"),
    path("login/eid/callback/", oidc_views.oidc_callback, name="oidc-callback"),
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path("logout/", views.logout, name="logout"),
]
