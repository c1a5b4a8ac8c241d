"""Who asks SSBTEK, as the simulator reads it off the wire (Ingivare's handläggare, issue 23): the robot's
id when the robot looks up, the caseworker's own id when a caseworker asks again from the case page, and
a caseworker's look-up asks the registers anew instead of taking the robot's cached answers."""

from __future__ import annotations

import pytest

from bistand.casework import lookup
from bistand.registers.ssbtek import SsbtekConfig
from tests.casework.test_pipeline import THIS_MONTH, quiet_single, robot, run_to_end, submit  # noqa: F401
from tests.conftest import make_citizen

pytestmark = pytest.mark.django_db

ROBOT = SsbtekConfig(endpoint="").handlaggare


@pytest.fixture
def routed(find, unit, robot):  # noqa: F811 — the robot fixture, imported above
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, costs=[{"type": "rent", "amount": "9900"}]))
    assert run.status == "routed"
    return run


def test_the_robot_asks_under_the_robot_id(routed, robot):  # noqa: F811
    assert set(robot.stats()["by_handlaggare"]) == {ROBOT}


def test_a_caseworker_asks_again_under_the_caseworkers_own_id_and_gets_fresh_answers(
    routed,
    robot,  # noqa: F811
    caseworker,
):
    robot.reset_stats()
    lookup.look_up_again(routed, caseworker)
    stats = robot.stats()
    assert stats["by_handlaggare"] == {caseworker.get_username(): 1}, "one SSBTEK call, the caseworker's"
    assert stats["calls"] == 2, "SSBTEK and Navet asked anew, not read from the robot's cache"
    routed.refresh_from_db()
    assert routed.register_snapshot["applicant"]["complete"] is True
