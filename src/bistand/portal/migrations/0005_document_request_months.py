"""A request the system words itself keeps its months, so it is written in the reader's language.

The stored translation (one language, chosen when the request was made) goes: the random check's months
are copied from its check, and the request is written from them in whatever language the reader uses.
"""

from django.db import migrations, models


def months_from_checks(apps, schema_editor):
    DocumentRequest = apps.get_model("portal", "DocumentRequest")
    RandomCheck = apps.get_model("oversight", "RandomCheck")
    for check in RandomCheck.objects.exclude(document_request=None).only("document_request", "months_covered"):
        DocumentRequest.objects.filter(pk=check.document_request_id).update(months=check.months_covered)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_case_moved_to_cases"),
        ("oversight", "0002_case_moved_to_cases"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentrequest",
            name="months",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(months_from_checks, migrations.RunPython.noop),
        migrations.RemoveField(model_name="documentrequest", name="translation"),
        migrations.RemoveField(model_name="documentrequest", name="translation_language"),
    ]
