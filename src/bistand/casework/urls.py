from django.urls import path

from bistand.casework import paper, powers, supplement_views, views

app_name = "casework"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("workload/", views.workload, name="workload"),
    path("paper/", paper.register, name="paper"),
    path("paper/form.pdf", paper.blank_form, name="paper-form"),
    path("scans/<int:scan_id>/", paper.open_scan, name="scan"),
    path("powers/", powers.register, name="powers"),
    path("powers/<int:power_id>/revoke/", powers.revoke, name="revoke-power"),
    path("powers/<int:power_id>/document/", powers.document, name="power-document"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/take/", views.take, name="take"),
    path("cases/<int:case_id>/draft/", views.save_draft, name="draft"),
    path("cases/<int:case_id>/drafts/<int:draft_id>/letter/", views.preview_letter, name="preview"),
    path("cases/<int:case_id>/drafts/<int:draft_id>/submit/", views.submit_draft, name="submit"),
    path("cases/<int:case_id>/drafts/<int:draft_id>/approve/", views.approve_draft, name="approve"),
    path("cases/<int:case_id>/emergency/", views.emergency, name="emergency"),
    path("cases/<int:case_id>/supplement/", supplement_views.register, name="supplement"),
    path("cases/<int:case_id>/supplement/decide/", supplement_views.decide, name="supplement-decide"),
    path("cases/<int:case_id>/certificates/", views.add_certificate, name="certificate"),
    path("cases/<int:case_id>/notes/", views.add_note, name="note"),
    path("cases/<int:case_id>/documents/", views.request_documents, name="documents"),
    path("cases/<int:case_id>/uploads/<uuid:upload>/", views.open_upload, name="upload"),
    path("cases/<int:case_id>/messages/", views.send_message, name="message"),
    path("cases/<int:case_id>/kommunicering/", views.communicate, name="kommunicering"),
    path(
        "cases/<int:case_id>/kommunicering/<int:kommunicering_id>/reply/",
        views.kommunicering_reply,
        name="kommunicering-reply",
    ),
    path(
        "cases/<int:case_id>/payments/<int:order_id>/resolve/", views.resolve_payment, name="resolve-payment"
    ),
    path(
        "cases/<int:case_id>/concerns/<int:report_id>/reported/",
        views.concern_reported,
        name="concern-reported",
    ),
    path(
        "cases/<int:case_id>/concerns/<int:report_id>/report.pdf",
        views.concern_document,
        name="concern-document",
    ),
    path("cases/<int:case_id>/plans/", views.add_plan, name="plan"),
    path(
        "cases/<int:case_id>/findings/<int:finding_id>/acknowledge/",
        views.acknowledge_finding,
        name="acknowledge-finding",
    ),
    path("cases/<int:case_id>/registers/again/", views.look_up_again, name="look-up-again"),
]
