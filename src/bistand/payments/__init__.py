"""Payments: each decision paid exactly once, in a file the bank accepts.

See docs/payments.md for the flow. A stored decision reaches `bistand.payments.services.plan_payments` by
the `decision_stored` signal (`payments/handoffs.py`).
"""
