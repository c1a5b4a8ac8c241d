from django.urls import path

from bistand.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
]
