"""Letters off the critical path: a decision is stored and shown at once; its letters render here.

The `letters` queue is its own, at a lower priority than the robot's work, so a backlog of letters never
holds up a decision; it can be given workers of its own (`bistand manage worker --queue-name letters`).
Rendering is idempotent: a letter already on the decision is never drawn again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from bistand.decisions.letters import ensure_letters
from bistand.decisions.models import Decision

logger = logging.getLogger(__name__)

LETTERS_QUEUE = "letters"


@task(queue_name=LETTERS_QUEUE, priority=-10)
def render_letters(decision_id: int) -> str:
    """Render and keep a decision's letters, one per party and language. Returns their SHA-256s."""
    decision = ensure_letters(Decision.objects.select_related("application").get(pk=decision_id))
    return " ".join(decision.letters.values_list("sha256", flat=True))


def sweep_unlettered(older_than: timedelta | None = None, max_age_days: int = 14) -> int:
    """Enqueue letters again for recent decisions without one whose task is gone (a worker was killed).

    A decision whose letter task is still waiting in the queue is left alone. A worker that has held a
    decision this long without drawing its letter counts as gone after the same time as a stalled pipeline
    run (`PIPELINE_STALLED_SECONDS`): one setting says when work is given up for lost. Drawing twice is safe
    (`ensure_letters` keeps one letter per party and language). Returns how many were enqueued.
    """
    from django_tasks_db.models import DBTaskResult

    if older_than is None:
        older_than = timedelta(seconds=settings.PIPELINE_STALLED_SECONDS)
    now = timezone.now()
    candidates = set(
        Decision.objects.filter(
            letters__isnull=True,
            decided_at__lt=now - older_than,
            decided_at__gte=now - timedelta(days=max_age_days),
        ).values_list("pk", flat=True)
    )
    if not candidates:
        return 0
    waiting = {
        result["args"][0]
        for result in DBTaskResult.objects.filter(
            status="READY", task_path=render_letters.module_path
        ).values_list("args_kwargs", flat=True)
        if result.get("args")
    }
    missing = sorted(candidates - waiting)
    for decision_id in missing:
        render_letters.enqueue(decision_id)
    if missing:
        logger.warning("letters enqueued again", extra={"count": len(missing)})
    return len(missing)
