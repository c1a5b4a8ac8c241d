"""What a person asked of payments that cannot be done: the message says why, in Swedish."""


class PaymentError(Exception):
    """Something a person asked for that cannot be done; the message says why, in Swedish."""


class NothingToPay(PaymentError):
    """No planned orders for the payout day."""


class ReleaseRefused(PaymentError):
    """A release that four eyes, the file's status or its validation does not allow."""
