"""The robot: collect → reconcile → calculate → triage → decide → pay, stored at checkpoints.

The steps up to triage run in memory and are stored together, each step's output in its own field; the
decision is stored by its step, and the run's end with it (`STORED_AT`). A worker killed at any point loses
nothing: the run is picked up again (`resume_stalled`) and carries on from the stored step. A step that
fails keeps what the steps before it produced and is retried with backoff; one that keeps failing lands in
"needs attention" with its error. The decision is unique per application and version, and payment
planning is idempotent, so nothing is done twice.
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bistand.cases import events
from bistand.cases.models import Case, TimelineEvent
from bistand.cases.protection import learn_from_registers
from bistand.casework import findings
from bistand.casework.history import child_earnings_this_year, person_assistance_months
from bistand.casework.household import engine_input
from bistand.casework.models import PipelineRun
from bistand.casework.norm_wait import NormNotPublished, is_future_norm, norm_published, start_waiting
from bistand.casework.policy import NORM_RELIABILITY_SV, Policy, policy_for
from bistand.casework.reconcile import Finding, reconcile
from bistand.casework.reform import reform_reasons
from bistand.decisions.models import Decision
from bistand.decisions.services import decide_automatically
from bistand.decisions.stored_input import for_engine
from bistand.identity.models import Person, Unit
from bistand.intake.answers import Answers, answers_of, named_persons, stated_flags
from bistand.intake.models import Application
from bistand.intake.schema import ApplicationInvalid
from bistand.intake.schema import answer as stored_answer
from bistand.registers import ClientSettings, JsonFileAnswerCache, http_gateway
from bistand.registers.snapshot import RegisterSnapshot
from bistand.rules import InvalidInput, calculate
from bistand.rules.money import format_sek as kr
from bistand.rules.parameters import ParameterSet, default_parameters

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = (2, 5, 15, 30, 60)
# Register failures that may pass: asked again before the case goes to a person with incomplete data.
TRANSIENT_REGISTER_ERRORS = {"timeout", "unavailable", "circuit_open"}
REGISTER_ATTEMPTS = 3


class RetryStep(Exception):
    """The step could not finish now and should be tried again later."""


class AwaitRegisters(RetryStep):
    """A register is down: ask again later, without counting towards "needs attention".

    The run stays with the robot and re-collects when the source is back, instead of reaching a person
    with a hole in its facts. Urgent runs (nödbistånd) and runs that have waited longer than
    `REGISTER_GAP_WAIT_SECONDS` go on to a person, with the gap named; when the source is back, such a run
    returns to the robot unless a person has begun on it (`casework.register_gap`).
    """


_gateway = None
_gateway_lock = threading.Lock()
# Look-up threads shared by every task loop of the process (`manage worker --concurrency`): enough for
# several applications' sources at once, so one loop's look-up never queues behind another's.
LOOKUP_THREADS = 64


def gateway():
    """One register client per process, so that its circuit breakers see every look-up."""
    global _gateway
    with _gateway_lock:
        if _gateway is None:
            cache = JsonFileAnswerCache(settings.DATA_DIR / "register-cache")
            _gateway = http_gateway(
                settings.REGISTERS_URL, ClientSettings(max_workers=LOOKUP_THREADS), cache=cache
            )
        return _gateway


def previous_application(application: Application) -> Application | None:
    """Last month's submitted application by the same applicant, if any."""
    month = application.month
    last_month = (month - timedelta(days=1)).replace(day=1)
    return (
        Application.objects.filter(applicant=application.applicant, month=last_month, status="submitted")
        .filter(emergency=False)
        .exclude(kind=Application.Kind.SUPPLEMENT)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")
        .first()
    )


def assistance_months(case: Case, before: datetime.date) -> list[str]:
    """Months before `before` in which the case was granted försörjningsstöd (decisions in force)."""
    months = set()
    for decision in Decision.objects.filter(case=case, month__lt=before).select_related("superseded_by"):
        if decision.is_in_force and decision.amount_granted > 0:
            months.add(decision.month.isoformat()[:7])
    return sorted(months)


def run_assistance_months(run: PipelineRun) -> list[str]:
    """`assistance_months` for the run's case and month, read once per run: calculate and two of triage's
    checks ask for it, and the steps between two checkpoints share one `run` in memory."""
    months = getattr(run, "_assistance_months", None)
    if months is None:
        months = run._assistance_months = assistance_months(run.case, run.application.month)
    return list(months)


# --- the steps ------------------------------------------------------------------------------------------


def ask_registers(
    application: Application, asked_by: str | None = None
) -> tuple[dict[str, str], dict[str, Any], bool]:
    """Ask every register about the applicant and the confirmed co-applicant for the month.

    `asked_by` is the caseworker's user id when a caseworker asked (sent to SSBTEK as the handläggare, and
    the answers are fetched anew, never taken from the cache); None is the robot.
    Returns the persons asked about (by role), the snapshot (per role, raw answers shielded) and whether a
    register failed in a way that passes (`TRANSIENT_REGISTER_ERRORS`)."""
    month = application.month.isoformat()[:7]
    persons = {"applicant": application.applicant.personnummer}
    # Only a co-applicant who signed (or whose signed paper form staff confirmed) is looked up: anyone's
    # number typed into an application must not fetch their register facts.
    if application.confirmed_co_applicant:
        persons["co_applicant"] = application.confirmed_co_applicant
    snapshot = {}
    transient = False
    for role, personnummer in persons.items():
        answer = gateway().lookup(
            personnummer,
            month,
            case_id=f"application-{application.reference}",
            asked_by=asked_by,
            fresh=asked_by is not None,
        )
        snapshot[role] = answer.to_dict(include_raw=True)
        transient |= any(error.kind in TRANSIENT_REGISTER_ERRORS for error in answer.errors.values())
    return persons, snapshot, transient


def collect(run: PipelineRun) -> dict[str, Any]:
    """Ask every register about the applicant and co-applicant for the month."""
    persons, snapshot, transient = ask_registers(run.application)
    if transient and run.attempts + 1 < REGISTER_ATTEMPTS:
        raise RetryStep("a register did not answer; asking again")
    waited = (timezone.now() - run.created_at).total_seconds()
    if transient and not run.urgent and waited < settings.REGISTER_GAP_WAIT_SECONDS:
        raise AwaitRegisters("Ett register svarar inte. Roboten frågar igen när det svarar.")
    learn_from_registers(persons, snapshot)  # a protected person is shielded from here on
    return {"register_snapshot": snapshot}


def reconcile_step(run: PipelineRun) -> dict[str, Any]:
    application = run.application
    policy = policy_for(application.municipality, application.month)
    try:
        answers = answers_of(application)
    except ApplicationInvalid as invalid:
        finding = Finding(
            "application_incomplete",
            "high",
            "Ansökan saknar uppgifter som behövs för en beräkning: "
            + "; ".join(f"{e.field}: {e.message}" for e in invalid.errors),
        )
        return {"findings": [finding.to_dict()]}
    previous = previous_application(application)
    snapshot = RegisterSnapshot.from_json(run.register_snapshot)
    findings = reconcile(answers, snapshot, _answers_or_none(previous), policy)
    return {"findings": [f.to_dict() for f in findings]}


def calculate_step(run: PipelineRun) -> dict[str, Any]:
    application = run.application
    if is_future_norm(application.month):
        # Not an error: the government has not set the norm yet. The run waits and resumes on import.
        raise NormNotPublished(application.month.year)
    try:
        answers = answers_of(application)
    except ApplicationInvalid:
        return {"calculation_input": None, "calculation": None}
    adults = [application.applicant.personnummer, *([answers.co_applicant] if answers.co_applicant else [])]
    data, provenance = engine_input(
        answers,
        application.applicant.personnummer,
        run_assistance_months(run),
        application.municipality.code,
        person_months={pnr: person_assistance_months(pnr, application.month) for pnr in adults},
        child_earnings=child_earnings_this_year(run.case, application.month),
    )
    stored_input = {"household": data, "income_provenance": provenance}
    try:
        result = calculate(for_engine(data))
    except InvalidInput as invalid:
        return {
            "calculation_input": stored_input,
            "calculation": {"errors": invalid.as_list("sv")},
        }
    # As the contract's JSON: amounts are numbers there (whole kronor, or öre with two decimals).
    return {"calculation_input": stored_input, "calculation": json.loads(result.to_json(indent=None))}


def triage_step(run: PipelineRun) -> dict[str, Any]:
    application = run.application
    policy = policy_for(application.municipality, application.month)
    reasons = routing_reasons(run, policy)
    return {
        "triage": {
            "automatic": not reasons,
            "reasons": reasons,
            "policy_version": policy.version,
            "delegation": policy.delegation,
        }
    }


def routing_reasons(run: PipelineRun, policy: Policy) -> list[dict[str, str]]:
    """Every reason the robot may not decide this application on its own (empty: it may)."""
    rules = policy.rules
    application = run.application
    # An application that does not pass the checks has its own finding (application_incomplete), which
    # sends it to a person; the reasons drawn from its answers are then left to that person, except the two
    # a person must see at once: an emergency and a co-applicant who has not signed.
    answers = _answers_or_none(application)
    emergency, co_applicant = (
        (answers.emergency, bool(answers.co_applicant)) if answers else stated_flags(application)
    )
    reasons: list[dict[str, str]] = []

    def reason(code: str, message: str) -> None:
        reasons.append({"code": code, "message": message})

    if policy.delegation is None:
        reason(
            "no_delegation",
            "Nämnden har inte gett den automatiserade beslutsfunktionen rätt att besluta (ingen delegation "
            "enligt kommunallagen 6 kap. 37 §). Datorn föreslår, en handläggare beslutar.",
        )
    if emergency and not rules["allow_emergency"]:
        reason("emergency", "Ansökan gäller nödbistånd. En handläggare beslutar samma dag.")
    if application.kind == Application.Kind.SUPPLEMENT:
        reason(
            "supplement",
            "Ansökan om tillägg för en redan beslutad månad. En handläggare beslutar om behovet "
            "(tilläggsbeslut).",
        )
    if _protected(run) and not rules["allow_protected_identity"]:
        reason("protected_identity", "Någon i hushållet har skyddade personuppgifter.")
    if _same_month(application):
        reason(
            "same_month",
            "Hushållet har en annan ansökan för samma månad (nödbistånd bredvid den ordinarie). "
            "Kontrollera att inget beviljas eller betalas två gånger.",
        )
    if co_applicant and not application.confirmed_co_applicant:
        reason(
            "co_applicant_unsigned",
            "Medsökande har inte skrivit under ansökan själv och har inte slagits upp i registren.",
        )
    if rules["returning_household"] and not _granted_last_month(run):
        reason(
            "first_application",
            "Hushållet fick inte försörjningsstöd förra månaden. En handläggare prövar en ny ansökan.",
        )
    # Only a returning household is asked whether anything changed: a first application said nothing.
    if rules["nothing_changed"] and answers and not answers.nothing_changed and _granted_last_month(run):
        reason("reported_change", "Den sökande har angett att något har ändrats sedan förra ansökan.")
    for finding in run.findings or []:
        if not policy.severity_allowed(finding["severity"]):
            reason(finding["code"], finding["message"])
    if answers and answers.extra_needs and not rules["allow_extra_needs"]:
        reason(
            "extra_needs", "Ansökan gäller också kostnader utöver det vanliga, som en handläggare bedömer."
        )

    calculation = run.calculation
    if calculation is None or answers is None:
        return reasons  # an incomplete application: its finding already says what is missing
    if "errors" in calculation:
        school = [e for e in calculation["errors"] if e["field"].endswith(".in_school")]
        if school:
            # An 18–20-year-old whose upper-secondary schooling is not known: a person settles it.
            reason(
                "school_status",
                "Det är inte känt om ett barn som fyllt 18 går i gymnasiet. Barnets norm och undantaget för "
                "barns lön gäller bara i gymnasiet; går barnet inte där söker hen i ett eget ärende.",
            )
        others = [e for e in calculation["errors"] if e not in school]
        if others:
            details = "; ".join(e["message"] for e in others)
            reason("calculation_failed", f"Beräkningen kunde inte göras: {details}")
        return reasons
    # A calculation stored before reliabilities existed counts as derived: a person looks.
    reliability = calculation["norm_table"].get("reliability", "derived")
    if not policy.accepts_norm(reliability):
        reason(
            "norm_reliability",
            f"Riksnormen för månaden bygger på belopp som är {NORM_RELIABILITY_SV[reliability]} "
            "och som kommunens policy inte låter datorn besluta med. En handläggare beslutar.",
        )
    reasons += _housing_reasons(answers, policy, run)
    entitlement = Decimal(str(calculation["entitlement"]))
    if entitlement <= 0:
        reason(
            "no_entitlement",
            "Beräkningen visar att inkomsterna täcker behovet. Ett avslag beslutas alltid av en handläggare.",
        )
    elif entitlement > rules["max_amount"]:
        reason(
            "large_amount",
            f"Beloppet är högre än {kr(rules['max_amount'])} och granskas av en handläggare.",
        )
    # The bidragsreform's rules (aktivitetskrav, läkarintyg, laglig vistelse, …), each from its date.
    carry_over = policy.config.get("aktivitetskrav", {}).get("accepted_plan_carries_over", False)
    reasons += reform_reasons(run, answers, consecutive_months(run), plans_carry_over=carry_over)
    return reasons


def _answers_or_none(application: Application | None) -> Answers | None:
    """The answers, or None for no application or one whose answers do not pass the checks."""
    if application is None:
        return None
    try:
        return answers_of(application)
    except ApplicationInvalid:
        return None


def _protected(run: PipelineRun) -> bool:
    application = run.application
    if application.applicant.protection != Person.Protection.NONE:
        return True
    others = named_persons(application)
    if Person.objects.filter(personnummer__in=[p for p in others if p]).exclude(protection="none").exists():
        return True
    # Only a register's yes counts. Unknown (a register did not answer) is not "protected": the gap is
    # named by its own finding (register_incomplete), and addresses are never shown to begin with.
    return RegisterSnapshot.from_json(run.register_snapshot).protected_anywhere


def _same_month(application: Application) -> bool:
    """Whether another submitted application of the same adults is for the same month. Only nödbistånd
    can stand beside the regular one (the database keeps regular ones to one per adult and month)."""
    adults = application.adults
    return (
        Application.objects.filter(month=application.month, status=Application.Status.SUBMITTED)
        .filter(Q(applicant_id__in=adults) | Q(co_applicant_id__in=adults))
        .exclude(pk=application.pk)
        .exists()
    )


def _granted_last_month(run: PipelineRun) -> bool:
    last_month = (run.application.month - timedelta(days=1)).replace(day=1).isoformat()[:7]
    return last_month in run_assistance_months(run)


def rent_granted_last_month(run: PipelineRun) -> Decimal | None:
    """The rent last month's decision in force granted (as decided, after any person's adjustment), or None
    when last month was not granted or its calculation has no rent line."""

    last_month = (run.application.month - timedelta(days=1)).replace(day=1)
    granted = None
    for decision in Decision.objects.filter(
        case=run.case, month=last_month, amount_granted__gt=0
    ).select_related("superseded_by"):
        if not decision.is_in_force:
            continue
        lines = (decision.calculation or {}).get("lines") or []
        rent = sum(
            (Decimal(str(line["amount"])) for line in lines if line.get("rule") == "costs.rent"), Decimal(0)
        )
        if rent and (granted is None or rent > granted):
            granted = rent
    return granted


def _housing_reasons(answers: Answers, policy: Policy, run: PipelineRun) -> list[dict[str, str]]:
    adults = 2 if answers.co_applicant else 1
    children = len(answers.children)
    rent = answers.cost("rent")
    electricity = answers.cost("electricity")
    reasons = []
    guidance = policy.rent_guidance(adults, children)
    # A rent above the guidance that a decision granted last month has been judged reasonable; it is not
    # judged again every month while it does not rise (the policy can ask for that).
    accepted = (
        rent_granted_last_month(run)
        if policy.config["housing_guidance"].get("rent_accepted_carries_over", False)
        else None
    )
    if rent > guidance and (accepted is None or rent > accepted):
        reasons.append(
            {
                "code": "rent_above_guidance",
                "message": f"Hyran ({kr(rent)}) är högre än kommunens riktlinje ({kr(guidance)}). "
                "En handläggare bedömer om kostnaden är skälig.",
            }
        )
    cap = policy.config["housing_guidance"]["electricity"]
    if electricity > cap:
        reasons.append(
            {
                "code": "electricity_above_guidance",
                "message": f"Kostnaden för hushållsel ({kr(electricity)}) är högre än riktlinjen ({kr(cap)}).",
            }
        )
    return reasons


def consecutive_months(run: PipelineRun) -> int:
    """Months granted försörjningsstöd in a row just before the application's month (that month is not
    yet granted, so it does not count)."""
    month = run.application.month
    history = set(run_assistance_months(run))
    # Only months already granted count: the month applied for is not (yet) a month with försörjningsstöd.
    consecutive, probe = 0, (month - timedelta(days=1)).replace(day=1)
    while probe.isoformat()[:7] in history:
        consecutive += 1
        probe = (probe - timedelta(days=1)).replace(day=1)
    return consecutive


def decide_step(run: PipelineRun) -> dict[str, Any]:

    if run.triage["automatic"]:
        decide_automatically(run)
    return {}


def pay_step(run: PipelineRun) -> dict[str, Any]:
    """Nothing left to do: payments planned the money when the decision was stored (decisions.signals).

    The step stays so that runs stored at it (before planning moved to the signal) still finish.
    """
    return {}


STEPS = {
    PipelineRun.Step.COLLECT: (collect, PipelineRun.Step.RECONCILE),
    PipelineRun.Step.RECONCILE: (reconcile_step, PipelineRun.Step.CALCULATE),
    PipelineRun.Step.CALCULATE: (calculate_step, PipelineRun.Step.TRIAGE),
    PipelineRun.Step.TRIAGE: (triage_step, PipelineRun.Step.DECIDE),
    PipelineRun.Step.DECIDE: (decide_step, PipelineRun.Step.PAY),
    PipelineRun.Step.PAY: (pay_step, PipelineRun.Step.DONE),
}


# --- running the steps ----------------------------------------------------------------------------------


def start(application: Application) -> PipelineRun:
    """Create the run for a submitted application (once) and put it on its case's timeline."""
    unit = (
        Unit.objects.filter(municipality=application.municipality, handles_intake=True).order_by("pk").first()
    )
    if unit is None:
        raise LookupError(f"municipality {application.municipality.code} has no intake unit")
    case, _ = Case.objects.get_or_create(applicant_id=application.applicant_id, unit=unit)
    events.record(
        case,
        events.Received(month=application.month.isoformat()[:7], channel=application.channel),
        actor=TimelineEvent.Actor.CITIZEN,
        application=application,
        occurred_at=application.submitted_at,
        once=True,
    )
    run, _ = PipelineRun.objects.get_or_create(
        application=application,
        defaults={"case": case, "urgent": bool(stored_answer(application.answers, "emergency"))},
    )
    return run


def begin(application: Application) -> PipelineRun:
    """Start the robot on a submitted application: the run, and its task in the same transaction."""
    run = start(application)
    advance_pipeline.enqueue(run.pk)
    return run


# The steps at which a run's progress is stored. The steps between two of them run one after another in
# memory and their outputs (each kept in its own field: the snapshot, findings, calculation and triage) are
# stored in one transaction: collect → reconcile → calculate → triage are reads and pure computation, so
# storing each on its own only re-read and re-locked the run. The decision is stored by its own step in its
# own transaction before the run moves on, and the run's end is stored with the last step.
STORED_AT = {PipelineRun.Step.DECIDE, PipelineRun.Step.DONE}


def advance(run_id: int) -> str:
    """Run the pipeline's remaining steps, storing their outputs at each checkpoint. Returns the run's status.

    A step that fails stores what the steps before it produced, then is retried (or waits) from there.
    """
    run = None
    while True:
        if run is None:
            run = PipelineRun.objects.select_related(
                "application__applicant", "application__municipality", "case"
            ).get(pk=run_id)
        if run.status != PipelineRun.Status.RUNNING:
            return run.status
        if run.step == PipelineRun.Step.DONE:
            return _finish(run)  # a run stored at "done" before the end was stored with the last step
        began_at = run.step
        step, outputs, failure = _run_until_checkpoint(run)
        if step != began_at:
            stored = _checkpoint(run, began_at, step, outputs)
            if stored is None:
                run = None  # another worker moved this run meanwhile: carry on from where it is
                continue
            run.step = step
            if step == PipelineRun.Step.DONE:
                logger.info("pipeline finished", extra={"run_id": run.pk, "status": stored.status})
                return stored.status
        if failure is not None:
            return _failed(run, step, failure)


def _run_until_checkpoint(run: PipelineRun) -> tuple[str, dict[str, Any], Exception | None]:
    """Run steps in memory from `run.step` to the next checkpoint, or until one fails.

    Returns the step reached (the next to run), the outputs of the steps that ran, and the failure if any.
    Each output is also set on `run`, because a later step reads what an earlier one produced.
    """
    step, outputs = run.step, {}
    while True:
        handler, next_step = STEPS[step]
        try:
            produced = handler(run)
        except Exception as error:
            return step, outputs, error
        for field, value in produced.items():
            setattr(run, field, value)
        outputs.update(produced)
        step = next_step
        if step in STORED_AT:
            return step, outputs, None


def _checkpoint(run: PipelineRun, began_at: str, reached: str, outputs: dict[str, Any]) -> PipelineRun | None:
    """Store the outputs of the steps from `began_at` up to `reached` in one transaction.

    Returns the stored run, or None when another worker had moved the run on meanwhile (nothing stored).
    """
    with transaction.atomic():
        locked = PipelineRun.objects.select_for_update().get(pk=run.pk)
        if locked.step != began_at or locked.status != PipelineRun.Status.RUNNING:
            return None
        for field, value in outputs.items():
            setattr(locked, field, value)
        locked.step = reached
        locked.attempts = 0
        locked.last_error = ""
        if reached == PipelineRun.Step.DONE:
            _close(locked)
        locked.save()
        if "findings" in outputs:
            findings.sync(locked)  # each finding's lifecycle follows the comparison
    return locked


def _failed(run: PipelineRun, step: str, failure: Exception) -> str:
    """What a failed step leads to: asked again later, waiting for the norm, or retried and then a person."""
    if isinstance(failure, AwaitRegisters):
        return _schedule_retry(run, step, str(failure), counts=False)
    if isinstance(failure, RetryStep):
        return _schedule_retry(run, step, str(failure))
    if isinstance(failure, NormNotPublished):
        return start_waiting(run, failure.year)
    # Any other failure: retried, then shown to a person. The traceback goes to the log; the person who
    # gets the case reads a sentence.
    logger.error("pipeline step failed", exc_info=failure, extra={"run_id": run.pk, "step": step})
    return _schedule_retry(
        run,
        step,
        f"Roboten kunde inte slutföra steget ”{PipelineRun.Step(step).label}” ({type(failure).__name__}). "
        "Teknisk information finns i systemloggen. Handlägg ansökan manuellt.",
    )


def _close(locked: PipelineRun) -> None:
    """End a locked run: decided by the robot or routed to a person (with the reasons on the timeline)."""
    automatic = (locked.triage or {}).get("automatic")
    locked.status = PipelineRun.Status.DECIDED if automatic else PipelineRun.Status.ROUTED
    locked.finished_at = timezone.now()
    if not automatic:
        events.record(
            locked.case_id,
            events.Routed(urgent=locked.urgent, reasons=[r["code"] for r in locked.routing_reasons]),
            actor=TimelineEvent.Actor.ROBOT,
            application=locked.application_id,
            occurred_at=locked.finished_at,
            once=True,
        )


def _finish(run: PipelineRun) -> str:
    with transaction.atomic():
        locked = PipelineRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != PipelineRun.Status.RUNNING:
            return locked.status
        _close(locked)
        locked.save()
    logger.info("pipeline finished", extra={"run_id": run.pk, "status": locked.status})
    return locked.status


def _schedule_retry(run: PipelineRun, step: str, error: str, *, counts: bool = True) -> str:
    with transaction.atomic():
        locked = PipelineRun.objects.select_for_update().get(pk=run.pk)
        if locked.step != step or locked.status != PipelineRun.Status.RUNNING:
            return locked.status
        if not counts:  # waiting for a register: not a failure of the step
            locked.last_error = error
            locked.save()
            later = timezone.now() + timedelta(seconds=settings.REGISTER_GAP_RETRY_SECONDS)
            advance_pipeline.using(run_after=later).enqueue(run.pk)
            return locked.status
        locked.attempts += 1
        locked.last_error = error[:5000]
        if locked.attempts >= MAX_ATTEMPTS:
            locked.status = PipelineRun.Status.NEEDS_ATTENTION
            locked.save()
            logger.error("pipeline needs attention", extra={"run_id": run.pk, "step": step})
            return locked.status
        locked.save()
        delay = BACKOFF_SECONDS[min(locked.attempts - 1, len(BACKOFF_SECONDS) - 1)]
        advance_pipeline.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(run.pk)
    return locked.status


def resume_stalled(older_than: timedelta | None = None) -> int:
    """Re-enqueue runs that stopped moving because a worker died mid-step.

    A run still waiting in the queue is left alone (under load the queue may be long); one whose task was
    claimed by a worker that is gone is enqueued again. Steps are idempotent, so a duplicate does no harm.
    """
    if older_than is None:
        older_than = timedelta(seconds=settings.PIPELINE_STALLED_SECONDS)
    cutoff = timezone.now() - older_than
    candidates = set(
        PipelineRun.objects.filter(status=PipelineRun.Status.RUNNING, updated_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if not candidates:
        return 0
    waiting = {
        task["args"][0]
        for task in DBTaskResult.objects.filter(
            status="READY", task_path__in=(advance_pipeline.module_path, LEGACY_ADVANCE_PATH)
        ).values_list("args_kwargs", flat=True)
        if task.get("args")
    }
    stalled = sorted(candidates - waiting)
    for run_id in stalled:
        with transaction.atomic():
            PipelineRun.objects.filter(pk=run_id).update(updated_at=timezone.now())
            advance_pipeline.enqueue(run_id)
    if stalled:
        logger.warning("resumed stalled pipeline runs", extra={"count": len(stalled)})
    return len(stalled)


def resume_waiting(params: ParameterSet | None = None) -> int:
    """Send every waiting run whose month now has its norm back through the robot; returns how many.

    A run starts again from the register look-up: the facts are asked for anew, as weeks may have passed.
    A run that a caseworker decided by hand meanwhile (nödbistånd) is left alone.
    """
    params = params or default_parameters()
    resumed = 0
    waiting = PipelineRun.objects.filter(status=PipelineRun.Status.WAITING_NORM).select_related("application")
    for run in waiting:
        if not norm_published(run.application.month, params):
            continue
        with transaction.atomic():
            updated = PipelineRun.objects.filter(pk=run.pk, status=PipelineRun.Status.WAITING_NORM).update(
                status=PipelineRun.Status.RUNNING,
                step=PipelineRun.Step.COLLECT,
                attempts=0,
                norm_wait_ended=timezone.now(),
                updated_at=timezone.now(),
            )
            if updated:
                advance_pipeline.enqueue(run.pk)
                resumed += 1
    if resumed:
        logger.info("runs waiting for the riksnorm resumed", extra={"count": resumed})
    return resumed


# --- the robot's tasks ----------------------------------------------------------------------------------
# Defined here, beside the steps they run, so that the pipeline can enqueue itself without importing a
# module that imports it back. Tasks stored before they moved name `bistand.casework.tasks.*`: that module
# re-exports them, so a queued task still imports.
LEGACY_ADVANCE_PATH = "bistand.casework.tasks.advance_pipeline"


@task()
def receive_application(application_id: int) -> int:
    """Put a submitted application on its case's timeline and start the robot on it. Returns the case id."""
    with transaction.atomic():
        application = Application.objects.select_related("municipality").get(pk=application_id)
        run = begin(application)
    logger.info("application received", extra={"application_id": application_id, "case_id": run.case_id})
    return run.case_id


@task()
def advance_pipeline(run_id: int) -> str:
    """Run the robot's remaining steps for one application."""
    return advance(run_id)
