"""Named points between two steps of a payment transaction, where tests rehearse a crash.

`reached` does nothing; a test replaces it (`monkeypatch.setattr(checkpoints, "reached", ...)`) to fail or
pause there. Callers look it up on this module at each call, so the replacement reaches every step.
"""


def reached(step: str) -> None:
    """A named point between two steps. Does nothing; tests make it fail or pause here to rehearse crashes."""
