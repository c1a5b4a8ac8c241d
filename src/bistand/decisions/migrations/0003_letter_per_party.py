"""One letter per adult party: letters move from the decision's two file fields to `Letter` rows.

The letters already drawn were addressed to the applicant; they become the applicant's letters.
"""

import django.db.models.deletion
from django.db import migrations, models


def letters_to_rows(apps, schema_editor):
    Decision = apps.get_model("decisions", "Decision")
    Letter = apps.get_model("decisions", "Letter")
    for decision in Decision.objects.exclude(letter="").select_related("application").iterator():
        applicant = decision.application.applicant_id
        Letter.objects.create(
            decision=decision,
            recipient_id=applicant,
            language="sv",
            file=decision.letter.name,
            sha256=decision.letter_sha256,
        )
        if decision.letter_translation:
            Letter.objects.create(
                decision=decision,
                recipient_id=applicant,
                language=decision.letter_language,
                file=decision.letter_translation.name,
                sha256=decision.letter_translation_sha256,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_decision_ground"),
        ("identity", "0005_municipality_contact"),
    ]

    operations = [
        migrations.CreateModel(
            name="Letter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=8)),
                ("file", models.FileField(upload_to="letters/%Y/%m/")),
                ("sha256", models.CharField(max_length=64)),
                ("rendered_at", models.DateTimeField(auto_now_add=True)),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letters",
                        to="decisions.decision",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="identity.person"
                    ),
                ),
            ],
            options={
                "ordering": ["decision", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("decision", "recipient", "language"), name="one_letter_per_party_and_language"
                    )
                ],
            },
        ),
        migrations.RunPython(letters_to_rows, migrations.RunPython.noop),
        migrations.RemoveField(model_name="decision", name="letter"),
        migrations.RemoveField(model_name="decision", name="letter_sha256"),
        migrations.RemoveField(model_name="decision", name="letter_translation"),
        migrations.RemoveField(model_name="decision", name="letter_translation_sha256"),
    ]
