"""The robot never decides against the citizen (issue 14, finding 3), over thousands of applications.

Generated: what the citizen states, and what the registers show for the month (equal, a krona apart,
missing, extra, preliminary, other months). Whatever the robot may decide on its own is the entitlement on
the citizen's own figures, which is also what was applied for, and no register figure it did not ask a
person about would have given more.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bistand.casework.household import engine_input
from bistand.casework.policy import Policy, default_policy
from bistand.casework.reconcile import reconcile, register_incomes
from bistand.decisions.stored_input import for_engine
from bistand.intake.answers import Answers
from bistand.registers.income import INCOME_TYPE_BY_CODE
from bistand.registers.snapshot import RegisterSnapshot
from bistand.rules import calculate
from tests.conftest import TEST_DELEGATION
from tests.stored_facts import whole

MONTH = "2026-11"
APPLICANT = "198001139297"
CO_APPLICANT = "198001249286"
POLICY = Policy("test", TEST_DELEGATION, default_policy().config)
CODES = sorted(INCOME_TYPE_BY_CODE)

amounts = st.integers(min_value=1, max_value=15000)


@st.composite
def register_payment(draw) -> dict:
    code = draw(st.sampled_from(CODES))
    month = draw(st.sampled_from(["2026-09", "2026-10", MONTH, MONTH, MONTH, "2026-12"]))
    preliminary = month == "2026-12" or (draw(st.booleans()) and month == MONTH)
    net = draw(amounts)
    return {
        "code": code,
        "label": code,
        "paid_on": f"{month}-19",
        "covers_from": f"{month}-01",
        "covers_to": f"{month}-28",
        "gross": str(net),
        "tax": "0",
        "net": str(net),
        "preliminary": preliminary,
    }


@st.composite
def application(draw) -> tuple[dict, dict]:
    roles = ["applicant", "co_applicant"] if draw(st.booleans()) else ["applicant"]
    snapshot: dict = {}
    stated: list[dict] = []
    for role in roles:
        payments = draw(st.lists(register_payment(), max_size=4))
        so = draw(st.lists(amounts, max_size=2))
        snapshot[role] = {
            "sources": {
                "fk": {"facts": whole("fk", {"payments": payments})},
                "so": {
                    "facts": whole(
                        "so",
                        {
                            "payments": [
                                {
                                    "fund": "a-kassan",
                                    "paid_on": f"{MONTH}-{5 + 15 * i:02d}",
                                    "covers_from": f"{MONTH}-01",
                                    "covers_to": f"{MONTH}-15",
                                    "net_after_tax": str(net),
                                }
                                for i, net in enumerate(so)
                            ]
                        },
                    )
                },
            }
        }
        # The citizen states the register's figure for the month, or something a little or much off.
        shown = register_incomes(RegisterSnapshot.from_json({role: snapshot[role]}), MONTH).get(role, {})
        for kind, amount in shown.items():
            change = draw(st.sampled_from([0, 0, 0, 1, -1, 90, -90, None]))
            if change is None:
                continue  # left out
            if amount + change > 0:
                stated.append({"person": role, "type": kind, "amount": str(amount + change)})
        if draw(st.booleans()):
            stated.append({"person": role, "type": "salary", "amount": str(draw(amounts))})
        if draw(st.integers(0, 5)) == 0:
            kind = draw(st.sampled_from(sorted(set(INCOME_TYPE_BY_CODE.values()))))
            stated.append({"person": role, "type": kind, "amount": str(draw(amounts))})
    values = {
        "month": MONTH,
        "costs": [{"type": "rent", "amount": str(draw(st.integers(3000, 7000)))}],
        "incomes": stated,
        "nothing_changed": True,
    }
    if "co_applicant" in roles:
        values["co_applicant"] = CO_APPLICANT
    return values, snapshot


def entitlement(values: dict, incomes: list[dict]) -> Decimal:
    data, _ = engine_input(Answers.decode({**values, "incomes": incomes}), APPLICANT, ["2026-10"], "1287")
    return calculate(for_engine(data)).entitlement


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(application())
def test_whatever_the_robot_decides_is_what_the_citizens_own_figures_give(generated):
    values, snapshot = generated
    findings = reconcile(Answers.decode(values), RegisterSnapshot.from_json(snapshot), None, POLICY)
    data, provenance = engine_input(Answers.decode(values), APPLICANT, ["2026-10"], "1287")
    robot = calculate(for_engine(data)).entitlement

    # The robot's figures are always the citizen's own.
    assert all(p["source"] == "citizen" for p in provenance)
    assert robot == entitlement(values, values["incomes"])
    if not all(POLICY.severity_allowed(f.severity) for f in findings):
        event("a person decides")
        return  # a person decides, after kommunicering if against the citizen
    event("the robot may decide")
    # The robot may decide: then the registers, read for the month, say exactly what the citizen said,
    # so deciding on the registers instead would give the same amount (never more, never less).
    from_registers = [
        {"person": role, "type": kind, "amount": str(amount)}
        for role, kinds in register_incomes(RegisterSnapshot.from_json(snapshot), MONTH).items()
        for kind, amount in kinds.items()
    ]
    own_other = [i for i in values["incomes"] if i["type"] == "salary"]
    assert entitlement(values, from_registers + own_other) == robot
