"""The spine: a household's case and its timeline, and who may open a protected case.

Every stage (intake's receipt, the robot, decisions, payments, Mina sidor, the caseworker) writes to the
case's timeline, so the case sits low in the floor plan (`docs/architecture.md`), below all of them.
"""
