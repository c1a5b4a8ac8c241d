from django.urls import path

from bistand.portal import supplement_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("applications/<uuid:reference>/", views.application_detail, name="application"),
    path("applications/<uuid:reference>/scans/<int:scan_id>/", views.scan, name="scan"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision"),
    path("decisions/<int:decision_id>/letter.pdf", views.decision_letter, name="letter"),
    path(
        "decisions/<int:decision_id>/letter-translated.pdf",
        views.decision_letter,
        {"translated": True},
        name="letter-translated",
    ),
    path("decisions/<int:decision_id>/appeal/", views.appeal, name="appeal"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("kommunicering/<int:kommunicering_id>/", views.kommunicering_detail, name="kommunicering"),
    path("powers/<int:power_id>/revoke/", views.revoke_power, name="revoke-power"),
    path("payout-account/", views.payout_account, name="payout-account"),
    path("supplement/", supplement_views.supplement, name="supplement"),
    path("cases/<int:case_id>/messages/", views.messages, name="messages"),
]
