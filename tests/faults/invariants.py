"""What must hold after any fault, checked with the ORM: shared by tests/faults and bench/faults_bench.py.

`problems(...)` returns every violation found, by kind, as lists of ids (all empty: nothing was lost and
nothing was done twice). Kept free of pytest so the benchmark can call it on its own database.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

# A run in one of these is done: decided by the robot, or in a caseworker's queue (casework.views lists
# routed and needs-attention runs there).
IN_A_PERSONS_QUEUE = {"routed", "needs_attention"}


def problems(application_ids: list[int], uploads: list[tuple[str, str]], media_root: Path) -> dict[str, list]:
    """Every violation for the run's applications and the uploads the citizens were told were stored.

    `uploads`: (reference, sha256) of each upload acknowledged to the citizen.
    """
    from bistand.cases.models import TimelineEvent
    from bistand.casework.models import PipelineRun
    from bistand.conversation.models import Upload
    from bistand.decisions.models import Decision
    from bistand.payments.models import PaymentOrder, PaymentPlan

    runs = {r.application_id: r for r in PipelineRun.objects.filter(application_id__in=application_ids)}
    decisions = list(Decision.objects.filter(application_id__in=application_ids))
    per_application = Counter(d.application_id for d in decisions)
    by_application = {d.application_id: d for d in decisions}
    found: dict[str, list] = defaultdict(list)

    for application_id in application_ids:
        run = runs.get(application_id)
        if run is None:
            found["no_pipeline_run"].append(application_id)
        elif run.status == "decided":
            if application_id not in by_application:
                found["decided_without_decision"].append(application_id)
        elif run.status in IN_A_PERSONS_QUEUE:
            if any(d.automated for d in decisions if d.application_id == application_id):
                found["routed_but_decided_by_robot"].append(application_id)
        else:
            found["not_finished"].append((application_id, run.status, run.step))
    found["decided_twice"] = [a for a, n in per_application.items() if n > 1]

    events = Counter(
        TimelineEvent.objects.filter(application_id__in=application_ids, kind="decision").values_list(
            "application_id", flat=True
        )
    )
    found["decision_event_not_once"] = [a for a in per_application if events[a] != per_application[a]]

    planned = Counter(
        PaymentPlan.objects.filter(decision__in=decisions).values_list("decision_id", flat=True)
    )
    orders = list(PaymentOrder.objects.filter(decision__in=decisions))
    lines = Counter((o.decision_id, o.decision_version, o.line) for o in orders)
    found["payment_order_twice"] = [key for key, n in lines.items() if n > 1]
    ids = Counter(o.end_to_end_id for o in orders)
    found["end_to_end_id_twice"] = [key for key, n in ids.items() if n > 1]
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for order in orders:
        if order.status != "cancelled":
            paid[order.decision_id] += order.amount
    for decision in decisions:
        if planned[decision.pk] != 1:
            found["payment_plan_not_once"].append(decision.pk)
        elif paid[decision.pk] != decision.amount_granted:
            found["payments_not_the_amount_granted"].append(
                (decision.pk, str(paid[decision.pk]), str(decision.amount_granted))
            )
        letter = decision.letter_for() if decision.automated else None
        if decision.automated and not (letter and (media_root / letter.file.name).is_file()):
            found["letter_missing"].append(decision.pk)

    stored = {str(u.reference): u for u in Upload.objects.filter(reference__in=[r for r, _ in uploads])}
    for reference, sha256 in uploads:
        upload = stored.get(reference)
        path = media_root / upload.file.name if upload else None
        if upload is None or path is None or not path.is_file():
            found["upload_missing"].append(reference)
        elif hashlib.sha256(path.read_bytes()).hexdigest() != sha256 or upload.sha256 != sha256:
            found["upload_changed"].append(reference)
    return {kind: items for kind, items in found.items() if items}


def outcome_counts(application_ids: list[int]) -> dict[str, int]:
    """How the run's applications ended: decided, routed, needs_attention (and anything else)."""
    from bistand.casework.models import PipelineRun

    return dict(
        Counter(
            PipelineRun.objects.filter(application_id__in=application_ids).values_list("status", flat=True)
        )
    )
