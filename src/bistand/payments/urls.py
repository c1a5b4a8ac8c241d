from django.urls import path

from bistand.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("files/create/", views.create_file, name="create-file"),
    path("files/<int:file_id>/", views.file_detail, name="file"),
    path("files/<int:file_id>/release/", views.release_file, name="release-file"),
    path("files/<int:file_id>/sent/", views.mark_file_sent, name="mark-sent"),
    path("files/<int:file_id>/void/", views.void_file, name="void-file"),
    path("files/<int:file_id>/download/", views.download_file, name="download-file"),
    path("orders/<int:order_id>/resolve/", views.resolve_held, name="resolve-held"),
    path("orders/<int:order_id>/hand-out/", views.hand_out, name="hand-out"),
    path("bank-status/", views.import_status, name="import-status"),
    path("ledger.csv", views.ledger_csv, name="ledger-csv"),
]
