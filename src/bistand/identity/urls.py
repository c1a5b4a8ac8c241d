from django.urls import path

from bistand.identity import views

app_name = "identity"
urlpatterns = [
    path("login/", views.citizen_login, name="citizen-login"),
    path("login/dev-eid/", views.dev_eid, name="dev-eid"),
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path("logout/", views.logout, name="logout"),
]
