"""Payments: each decision paid exactly once, in a file the bank accepts.

See docs/payments.md for the flow. The robot pipeline calls `bistand.payments.services.plan_payments`.
"""
