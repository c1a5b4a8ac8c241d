"""The conversation between the caseworker and the citizen: document requests, uploads, messages, appeals.

The caseworker (and the random check) writes it, Mina sidor shows it, so it stands below both in the floor
plan (`docs/architecture.md`): above payments, below casework. Every call puts an event on the case's
timeline (`cases.events`), so citizen and caseworker read one history.
"""
