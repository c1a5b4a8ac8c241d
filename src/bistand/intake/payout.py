"""Where the citizen's money goes: the payout routes an application's `payout_account` answer may name.

Written once, here on the intake floor, because the citizen chooses the route when applying (the summary
shows it) and the payments app books it (`PaymentOrder.account_kind` takes these choices): a bank account,
a Bankgiro, or cash or a prepaid card handed out at the municipality's counter (`payments/counter.py`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PayoutRoute(models.TextChoices):
    NONE = "", _("Saknas")
    BANK = "bank", _("Bankkonto")
    BANKGIRO = "bankgiro", _("Bankgiro")
    # Handed out at the municipality's counter (payments/counter.py), never in a bank file.
    CASH = "cash", _("Kontant i kassan")
    CARD = "card", _("Förladdat kort")


COUNTER_ROUTES = (PayoutRoute.CASH, PayoutRoute.CARD)
COUNTER_KINDS = frozenset(route.value for route in COUNTER_ROUTES)
