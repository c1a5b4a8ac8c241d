from django.urls import path

from bistand.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("start/", views.start, name="start"),
    path("ombud/<int:power_id>/", views.act, name="act-for"),
    path("ombud/self/", views.act, name="act-self"),
    path("ombud/<int:power_id>/ended/", views.power_ended, name="power-ended"),
    path("<uuid:reference>/step/<slug:name>/", views.step, name="step"),
    path("<uuid:reference>/review/", views.review, name="review"),
    path("<uuid:reference>/same-as-last-month/", views.renewal, name="renewal"),
    path("<uuid:reference>/sign/", views.sign, name="sign"),
    path("<uuid:reference>/waiting/", views.waiting, name="waiting"),
    path("<uuid:reference>/co-sign/", views.cosign, name="cosign"),
    path("<uuid:reference>/discard/", views.discard, name="discard"),
    path("<uuid:reference>/received/", views.received, name="received"),
    path("<uuid:reference>/received/status/", views.decision_status, name="decision-status"),
]
