"""A caseworker's new register look-up: fresh answers, a fresh comparison, findings brought up to date."""

from __future__ import annotations

from bistand.cases.protection import learn_from_registers
from bistand.casework import findings, pipeline
from bistand.casework.models import PipelineRun
from bistand.identity.models import User


def look_up_again(run: PipelineRun, user: User) -> PipelineRun:
    """A caseworker asks the registers again: the answers, the comparison and the findings are renewed.

    The reasons the case needs a person are re-read too; the calculation stands on the citizen's own
    figures and does not change with the registers.
    """
    if not user.is_caseworker or user.unit_id != run.case.unit_id:
        raise findings.FindingError("Du kan bara arbeta med ärenden i din egen enhet.")
    if run.status not in (PipelineRun.Status.ROUTED, PipelineRun.Status.NEEDS_ATTENTION):
        raise findings.FindingError("Ansökan är inte hos en handläggare.")
    if run.application.decisions.exists():
        # The facts a decision was made on stay as they were: a later look-up belongs to a new decision.
        raise findings.FindingError(
            "Ansökan är redan beslutad. Registeruppgifterna den beslutades på ändras inte."
        )
    # A person asked: the answers are taken as they come now, under the caseworker's own id (SSBTEK's
    # handläggare); a register still silent stays a finding.
    persons, snapshot, _transient = pipeline.ask_registers(run.application, asked_by=user.get_username())
    learn_from_registers(persons, snapshot)  # a protected person is shielded from here on
    run.register_snapshot = snapshot
    run.findings = pipeline.reconcile_step(run)["findings"]
    if run.calculation is not None:
        run.triage = pipeline.triage_step(run)["triage"]
    run.save(update_fields=["register_snapshot", "findings", "triage", "updated_at"])
    findings.sync(run)
    return run
