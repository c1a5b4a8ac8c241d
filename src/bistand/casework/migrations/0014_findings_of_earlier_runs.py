"""Findings stored on runs before the lifecycle existed become open findings, dated when their run was."""

from django.db import migrations

from bistand.casework.findings import cause_key


def forwards(apps, schema_editor):

    PipelineRun = apps.get_model("casework", "PipelineRun")
    CaseFinding = apps.get_model("casework", "CaseFinding")
    FindingEvent = apps.get_model("casework", "FindingEvent")
    for run in PipelineRun.objects.filter(findings__isnull=False).iterator():
        if CaseFinding.objects.filter(run=run).exists():
            continue
        for key, found in {cause_key(f): f for f in run.findings or []}.items():
            finding = CaseFinding.objects.create(
                run=run,
                key=key,
                code=found["code"],
                severity=found["severity"],
                message=found["message"],
                role=found.get("role", ""),
                source=found.get("source", ""),
                opened_at=run.updated_at,
            )
            FindingEvent.objects.create(finding=finding, kind="opened", at=run.updated_at)


class Migration(migrations.Migration):
    dependencies = [("casework", "0013_findings_and_sign_offs")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
