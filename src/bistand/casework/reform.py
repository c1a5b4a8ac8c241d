"""The bidragsreform's rules applied to a run: the household's facts gathered from the application, the
register snapshot and the case, and every rule that touches the case turned into a routing reason.

The rules themselves live in `rules.reform` (pure, each citing its section, pending SFS until recorded).
This module only reads facts: Migrationsverket's permits (laglig vistelse), Arbetsförmedlingen's
activity-report status, the case's activity plans and exemptions, and the application's answers about a
second-hand lease and illness.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from bistand.casework.models import ActivityPlan, MedicalCertificate, PipelineRun
from bistand.intake.answers import Answers, Housing, Illness, answers_of
from bistand.intake.schema import ApplicationInvalid
from bistand.registers.facts import AfFacts, MivFacts
from bistand.registers.snapshot import RegisterSnapshot, StoredResult
from bistand.registers.sources import Source
from bistand.rules.reform import Adult, ReformFacts, hits


def lawfully_resident(miv: StoredResult, month: datetime.date) -> bool | None:
    """From Migrationsverket's answer: True (no case there, or a granted permit valid in the month), False
    (only expired or refused permits), None (no answer, or an application still pending)."""
    facts: MivFacts | None = miv.facts
    if facts is None:
        return None
    if not facts.permits:
        return True  # no case at Migrationsverket: a Swedish or Nordic citizen, or not a permit matter
    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    for permit in facts.permits:
        if permit.decision_code is None:
            return None  # an application is pending: a person assesses the right to stay meanwhile
        granted = permit.decision_code == "BEV"
        starts = permit.valid_from is not None and permit.valid_from <= last
        if granted and starts and (permit.valid_to is None or permit.valid_to >= month):
            return True
    return False


def af_status(af: StoredResult | None, month: datetime.date) -> str | None:
    """Arbetsförmedlingen's activity-report status for the month, as SSBTEK gives it (domain brief §4.6):
    200 filed, 501 not filed, 500 not registered, 502 technical error; None when AF was not asked."""
    if af is None:
        return None
    facts: AfFacts | None = af.facts
    if af.error or facts is None:
        return "502"
    if not facts.registered:
        return "500"
    last_month = (month - timedelta(days=1)).strftime("%Y-%m")
    covered = {report.covers_month for report in facts.activity_reports}
    return "200" if {last_month, month.strftime("%Y-%m")} & covered else "501"


def _plan_for(plans: list[ActivityPlan], personnummer: str, month: datetime.date) -> ActivityPlan | None:
    found = [p for p in plans if p.person.personnummer == personnummer and p.covers(month)]
    return max(found, key=lambda p: (p.valid_from, p.pk)) if found else None


def facts_for(
    run: PipelineRun, answers: Answers, consecutive: int, *, plans_carry_over: bool = False
) -> ReformFacts:
    """The household's facts for the reform's rules.

    With ``plans_carry_over`` (the policy's ``aktivitetskrav.accepted_plan_carries_over``), a plan that covers
    the whole month brings the Arbetsförmedlingen status the caseworker accepted it with.
    """
    application = run.application
    month = application.month
    snapshot = RegisterSnapshot.from_json(run.register_snapshot)
    plans = list(ActivityPlan.objects.filter(case=run.case).select_related("person"))
    illness = answers.illness or Illness()
    adults = []
    for role, personnummer in (
        ("applicant", application.applicant.personnummer),
        ("co_applicant", answers.co_applicant),
    ):
        if not personnummer:
            continue
        person = snapshot.roles.get(role)
        sources = person.sources if person else {}
        plan = _plan_for(plans, personnummer, month)
        certificate = None
        recorded = [
            c
            for c in MedicalCertificate.objects.filter(case=run.case, person__personnummer=personnummer)
            if c.covers_month(month)
        ]
        if recorded:  # a certificate the caseworker received and registered
            certificate = (recorded[0].valid_from, recorded[0].valid_until)
        elif role == "applicant" and illness.certificate:
            certificate = illness.certificate
        adults.append(
            Adult(
                role=role,
                lawfully_resident=lawfully_resident(sources[Source.MIV], month)
                if Source.MIV in sources
                else True,
                ill_not_at_disposal=role == "applicant" and illness.not_at_disposal,
                certificate=certificate,
                plan_hours=plan.hours_per_week if plan and plan.kind == "plan" else None,
                job_search_hours=plan.job_search_hours if plan and plan.kind == "plan" else None,
                exemption=(plan.exemption_code or "other") if plan and plan.kind == "exemption" else None,
                af_status=af_status(sources.get(Source.AF), month),
                plan_accepted_af_status=plan.af_status_accepted or None
                if plans_carry_over and plan and plan.kind == "plan" and plan.covers_month(month)
                else None,
            )
        )
    housing = answers.housing or Housing()
    return ReformFacts(
        month=month,
        adults=tuple(adults),
        children=len(answers.children),
        beyond_norm=tuple(need.type for need in answers.extra_needs if need.type),
        second_hand_lease=housing.second_hand_lease,
        sublet_consent=housing.sublet_consent,
        consecutive_months=consecutive,
    )


def reform_reasons(
    run: PipelineRun, answers: Answers, consecutive: int, *, plans_carry_over: bool = False
) -> list[dict[str, str]]:
    """A routing reason for every reform rule that touches the case, naming the rule."""
    facts = facts_for(run, answers, consecutive, plans_carry_over=plans_carry_over)
    return [hit.to_reason() for hit in hits(facts)]


def af_status_of(run: PipelineRun | None, personnummer: str) -> str:
    """Arbetsförmedlingen's status for an adult in the run's register answers ("" when not asked): what a
    caseworker sees on the case when they accept a plan."""
    if run is None:
        return ""
    application = run.application
    role = "applicant" if application.applicant.personnummer == personnummer else "co_applicant"
    if role == "co_applicant":
        try:
            if answers_of(application).co_applicant != personnummer:
                return ""
        except ApplicationInvalid:
            return ""
    person = RegisterSnapshot.from_json(run.register_snapshot).roles.get(role)
    if person is None or Source.AF not in person.sources:
        return ""
    return af_status(person.sources[Source.AF], application.month) or ""
