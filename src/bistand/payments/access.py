"""Who may do what with payments: finance of the municipality, or the case's caseworker for held orders."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from bistand.identity.models import Municipality, User
from bistand.payments.models import PaymentOrder


def finance_municipality(user: User) -> Municipality:
    """The municipality a finance user works for; PermissionDenied for anyone else."""
    if not (user and user.is_authenticated and user.is_finance and user.unit_id):
        raise PermissionDenied
    return user.unit.municipality


def require_finance(user: User, municipality: Municipality) -> None:
    if finance_municipality(user).pk != municipality.pk:
        raise PermissionDenied


def may_resolve(user: User, order: PaymentOrder) -> None:
    """Finance of the order's municipality, or a caseworker of the order's unit."""
    if user and user.is_authenticated and user.is_caseworker and user.unit_id == order.unit_id:
        return
    require_finance(user, order.municipality)
