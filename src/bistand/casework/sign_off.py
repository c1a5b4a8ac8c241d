"""Sign-offs: who approved a calculation, a payment or a decision, and when; and separation of duties.

Whoever changed a payout account may not also release the payment to it (policy
`separation_of_duties.account_changer_may_not_release`, on by default): the same person could otherwise
redirect money and let it go alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from bistand.casework.findings_models import SignOff
from bistand.casework.policy import policy_for


def record(case_id: int | None, what: str, role: str, reference: object, by) -> SignOff | None:
    """One sign-off row (never edited). An order without a case (none today) has nothing to sign in."""
    if case_id is None or by is None:
        return None
    return SignOff.objects.create(case_id=case_id, what=what, role=role, reference=str(reference), by=by)


def account_changed_by(user, order_ids: Iterable[int]) -> bool:
    """Whether the user changed the payout account of any of the orders."""
    return SignOff.objects.filter(
        what=SignOff.What.PAYOUT_ACCOUNT, by=user, reference__in=[str(pk) for pk in order_ids]
    ).exists()


def separation_required(municipality) -> bool:
    rule = policy_for(municipality, timezone.localdate()).config.get("separation_of_duties") or {}
    return bool(rule.get("account_changer_may_not_release", True))
