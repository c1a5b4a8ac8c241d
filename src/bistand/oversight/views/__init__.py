"""Oversight pages: public (no sign-in), the managers' dashboard, the caseworkers' random checks."""
