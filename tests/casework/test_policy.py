"""The automation policy: versioned, resting on the nämnd's recorded delegation, every key with an effect."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

import pytest
import yaml

from bistand.cases.models import Case
from bistand.casework import pipeline, reconcile, workspace
from bistand.casework.models import AutomationPolicy, DecisionDraft, PipelineRun
from bistand.casework.policy import DEFAULT_FILE, Policy, default_policy, describe, policy_for
from bistand.intake.answers import Answers
from bistand.intake.models import Application
from bistand.registers.snapshot import RegisterSnapshot
from tests.conftest import TEST_DELEGATION, delegate, make_citizen
from tests.stored_facts import whole

MONTH = datetime.date(2026, 11, 1)
CO_APPLICANT = "198001249286"  # a Skatteverket test number
CHILD = "201401012396"


def test_the_default_policy_carries_no_delegation_so_a_person_decides():
    policy = default_policy()
    assert policy.delegation is None
    text = "\n".join(describe(policy))
    assert "inte gett datorn rätt att besluta" in text and "handläggare fattar varje beslut" in text
    assert "ersätts av nämndens eget beslut" not in DEFAULT_FILE.read_text(encoding="utf-8")


def test_the_policy_reads_as_plain_swedish_with_its_delegation():
    policy = with_changes()
    text = "\n".join(describe(policy))
    assert "Socialnämnden har den 2019-11-20 beslutat" in text
    assert TEST_DELEGATION["reference"] in text and TEST_DELEGATION["scope"] in text
    assert "kommunallagen (2017:725) 6 kap. 37 §" in text
    assert "Datorn avslår aldrig en ansökan" in text and "nödbistånd" in text
    assert "påhittat exempel" not in text
    demo = Policy("demo", {**TEST_DELEGATION, "demo": True}, default_policy().config)
    assert "påhittat exempel för demonstration, inte ett verkligt beslut" in describe(demo)[0]


@pytest.mark.django_db
def test_a_municipalitys_own_version_applies_from_its_date(municipality):
    AutomationPolicy.objects.create(
        municipality=municipality,
        version="trelleborg-2026.2",
        valid_from=datetime.date(2026, 12, 1),
        delegation={**TEST_DELEGATION, "body": "Arbetsmarknadsnämnden", "reference": "AMN 2026-11-10 § 88"},
        config={"decides_automatically": {**default_policy().rules, "max_amount": 20000}},
    )
    november = policy_for(municipality, datetime.date(2026, 11, 1))
    december = policy_for(municipality, datetime.date(2026, 12, 1))
    assert november.version == "test-1"
    assert december.version == "trelleborg-2026.2"
    assert december.rules["max_amount"] == 20000
    assert "Arbetsmarknadsnämnden" in describe(december)[0]


def test_by_default_the_robot_decides_with_official_and_secondary_norm_amounts_not_derived_ones():
    policy = default_policy()
    assert policy.accepts_norm("official") and policy.accepts_norm("secondary")
    assert not policy.accepts_norm("derived")
    delegated = Policy(policy.version, TEST_DELEGATION, policy.config)
    assert (
        "– Riksnormens belopp för hushållet är officiella eller hämtade ur en andrahandskälla."
        in describe(delegated)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "delegation",
    [
        {},
        {"body": "Socialnämnden", "decision": "Delegation (exempel; ersätts av nämndens eget beslut)"},
        {**TEST_DELEGATION, "scope": ""},
        {**TEST_DELEGATION, "valid_from": "2027-01-01"},
        {**TEST_DELEGATION, "date": "förra året"},
    ],
    ids=["empty", "old-placeholder", "no-scope", "not-yet-valid", "bad-date"],
)
def test_an_incomplete_or_future_delegation_gives_the_robot_no_authority(db, delegation):
    from bistand.identity.models import Municipality

    municipality = Municipality.objects.create(code="0180", name="Stockholms stad")
    delegate(municipality, delegation)
    policy = policy_for(municipality, MONTH)
    assert policy.delegation is None
    assert "inte gett datorn rätt" in describe(policy)[0]


# --- every key changes what the robot does ------------------------------------------------------------


def with_changes(**changes) -> Policy:
    """The default rules with a delegation, and keys changed by path ("housing_guidance.rent.adults_1")."""
    config = copy.deepcopy(default_policy().config)
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        node = config
        for key in parents:
            node = node[key]
        node[leaf] = value
    return Policy("test", TEST_DELEGATION, config)


@pytest.fixture
def quiet_run(db, unit, monkeypatch):
    """A returning household, nothing changed, nothing found: the robot may decide it as it stands."""
    months = ["2026-10"]
    monkeypatch.setattr(pipeline, "assistance_months", lambda case, before: list(months))
    citizen = make_citizen("198001139297", unit.municipality)
    values = {
        "month": "2026-11",
        "costs": [{"type": "rent", "amount": "5000"}, {"type": "electricity", "amount": "300"}],
        "incomes": [],
        "nothing_changed": True,
    }
    application = Application.objects.create(
        applicant=citizen.person,
        municipality=unit.municipality,
        month=MONTH,
        answers={key: {"value": value, "source": "citizen"} for key, value in values.items()},
    )
    case = Case.objects.create(applicant=citizen.person, unit=unit)
    run = PipelineRun.objects.create(
        application=application,
        case=case,
        register_snapshot={},
        findings=[],
        calculation={"entitlement": 5000, "norm_table": {"verified": True, "reliability": "official"}},
    )
    run.months = months
    return run


def answer(run: PipelineRun, **values) -> PipelineRun:
    for key, value in values.items():
        run.application.answers[key] = {"value": value, "source": "citizen"}
    run.application.save()
    return run


def codes(run: PipelineRun, policy: Policy) -> set[str]:
    return {r["code"] for r in pipeline.routing_reasons(run, policy)}


def test_the_quiet_household_is_automatic_under_the_delegation_and_not_without_it(quiet_run):
    assert codes(quiet_run, with_changes()) == set()
    assert codes(quiet_run, Policy("x", None, default_policy().config)) == {"no_delegation"}


ROUTING_KEYS = {
    # key: (how the run differs from the quiet one, the change to the key, the reason it turns on or off)
    "decides_automatically__returning_household": (lambda r: r.months.clear(), False, "first_application"),
    "decides_automatically__nothing_changed": (
        lambda r: answer(r, nothing_changed=False),
        False,
        "reported_change",
    ),
    "decides_automatically__max_finding_severity": (
        lambda r: r.findings.append({"code": "income_differs", "severity": "notice", "message": "x"}),
        "notice",
        "income_differs",
    ),
    "decides_automatically__allow_extra_needs": (
        lambda r: answer(r, extra_needs=[{"type": "dental", "amount": "900"}]),
        True,
        "extra_needs",
    ),
    "decides_automatically__allow_emergency": (lambda r: answer(r, emergency=True), True, "emergency"),
    "decides_automatically__allow_protected_identity": (
        lambda r: r.register_snapshot.update({"applicant": {"protected": True}}),
        True,
        "protected_identity",
    ),
    "decides_automatically__norm_reliability_accepted": (
        lambda r: r.calculation["norm_table"].update(reliability="secondary"),
        ["official"],
        "norm_reliability",
    ),
    "decides_automatically__max_amount": (lambda r: None, 4000, "large_amount"),
    "housing_guidance__rent__adults_1": (lambda r: None, 4000, "rent_above_guidance"),
    "housing_guidance__rent__adults_2": (
        lambda r: answer(
            r,
            co_applicant=CO_APPLICANT,
            costs=[{"type": "rent", "amount": "8000"}, {"type": "electricity", "amount": "300"}],
        ),
        7000,
        "rent_above_guidance",
    ),
    "housing_guidance__rent__per_child": (
        lambda r: answer(
            r,
            children=[{"personnummer": CHILD}],
            costs=[{"type": "rent", "amount": "7500"}, {"type": "electricity", "amount": "300"}],
        ),
        0,
        "rent_above_guidance",
    ),
    "housing_guidance__electricity": (lambda r: None, 200, "electricity_above_guidance"),
}


@pytest.mark.parametrize("key", sorted(ROUTING_KEYS))
def test_each_routing_key_changes_what_the_robot_may_decide(quiet_run, key):
    situation, value, code = ROUTING_KEYS[key]
    situation(quiet_run)
    default = code in codes(quiet_run, with_changes())
    changed = code in codes(quiet_run, with_changes(**{key: value}))
    assert default != changed, f"{key}={value!r} did not change whether {code} routes the case"


@pytest.mark.parametrize(("surplus", "limit", "found"), [(1500, 1000, True), (1500, 2000, False)])
def test_the_capital_threshold_decides_whether_capital_income_is_a_finding(surplus, limit, found):
    snapshot = {
        "applicant": {
            "sources": {
                "skv": {
                    "facts": whole(
                        "skv",
                        {
                            "capital": [
                                {
                                    "assessment_year": 2025,
                                    "total_income": str(surplus),
                                    "surplus": str(surplus),
                                }
                            ]
                        },
                    )
                }
            }
        }
    }
    policy = with_changes(thresholds__capital_surplus_per_year=limit)
    findings = reconcile.reconcile(
        Answers.decode({"month": "2026-11", "incomes": []}),
        RegisterSnapshot.from_json(snapshot),
        None,
        policy,
    )
    assert ("capital_income" in {f.code for f in findings}) is found


@pytest.mark.parametrize(
    ("key", "value", "outcome", "amount"),
    [
        ("second_approval__rejections", False, "reject", "0"),
        ("second_approval__partial", True, "partial", "1000"),
        ("second_approval__above_amount", 900, "grant", "1000"),
    ],
)
def test_each_second_approval_key_changes_who_must_approve(key, value, outcome, amount):
    draft = DecisionDraft(outcome=outcome, amount=Decimal(amount))
    assert workspace.needs_approval(draft, with_changes()) != workspace.needs_approval(
        draft, with_changes(**{key: value})
    )


@pytest.mark.parametrize(
    ("key", "household"),
    [
        ("follow_up__default_days", "single"),
        ("follow_up__with_children_days", "children"),
        ("follow_up__long_term_days", "long_term"),
    ],
)
def test_each_follow_up_key_changes_when_the_household_is_met(quiet_run, monkeypatch, key, household):
    if household == "children":
        quiet_run.calculation_input = {"household": {"members": [{"role": "child"}]}}
        quiet_run.save()
    if household == "long_term":
        quiet_run.months[:] = [f"2026-{m:02d}" for m in range(1, 11)]
    policies = iter([with_changes(), with_changes(**{key: 7})])
    monkeypatch.setattr(workspace, "policy_for", lambda municipality, day: next(policies))
    before = workspace.follow_up_days(quiet_run.case)
    after = workspace.follow_up_days(quiet_run.case)
    assert after == 7 and before != after


def _leaves(node: dict, prefix: str = "") -> set[str]:
    found = set()
    for key, value in node.items():
        path = f"{prefix}{key}"
        found |= _leaves(value, path + "__") if isinstance(value, dict) else {path}
    return found


def test_norm_expected_is_the_date_citizens_are_told_to_expect_next_years_norm(monkeypatch):
    from bistand.casework import norm_wait

    policies = iter([with_changes(), with_changes(norm_expected="12-29")])
    monkeypatch.setattr(norm_wait, "policy_for", lambda municipality, day: next(policies))
    assert norm_wait.expected_date(None, 2027) == datetime.date(2026, 12, 20)
    assert norm_wait.expected_date(None, 2027) == datetime.date(2026, 12, 29)


def test_every_policy_key_has_a_test_of_its_effect():
    """A key that changes nothing is not policy: it misleads the nämnd and the public (/insyn/)."""
    tested = set(ROUTING_KEYS) | {
        "thresholds__capital_surplus_per_year",
        "second_approval__rejections",
        "second_approval__partial",
        "second_approval__above_amount",
        "follow_up__default_days",
        "follow_up__with_children_days",
        "follow_up__long_term_days",
        "version",  # recorded on every decision (policy_version)
        "norm_expected",
        "housing_guidance__rent_accepted_carries_over",
        "aktivitetskrav__accepted_plan_carries_over",  # tests/casework/test_accepted_plan.py
    }
    keys = _leaves(yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8")))
    assert keys - tested == set(), "a policy key without a test of its effect"
    assert "decides_automatically__outcomes" not in keys  # never read: removed
    assert "decides_automatically__allow_incomplete_registers" not in keys  # never read: removed
    assert "thresholds__income_difference" not in keys  # a tolerance that lowered grants silently


def _granted_last_month_with_rent(run: PipelineRun, rent: str) -> None:
    from bistand.decisions.models import Decision

    last = Application.objects.create(
        applicant=run.application.applicant,
        municipality=run.application.municipality,
        month=datetime.date(2026, 10, 1),
        answers={},
        status=Application.Status.SUBMITTED,
    )
    Decision.objects.create(
        case=run.case,
        application=last,
        version=1,
        month=last.month,
        outcome=Decision.Outcome.GRANT,
        amount_applied=Decimal(9000),
        amount_granted=Decimal(9000),
        calculation={"lines": [{"section": "costs", "rule": "costs.rent", "amount": rent}]},
        automated=False,
        decided_at=datetime.datetime(2026, 10, 5, 10, tzinfo=datetime.UTC),
        inputs={},
        rules_version="test",
    )


@pytest.mark.parametrize(
    ("carries_over", "granted", "applied", "routed"),
    [
        (True, "8000", "8000", False),  # judged reasonable last month, unchanged: not judged again
        (True, "8000", "8200", True),  # the rent rose: a person judges the new amount
        (True, None, "8000", True),  # nothing granted last month: a person judges it
        (False, "8000", "8000", True),  # the policy asks for a person every month
    ],
)
def test_a_rent_above_guidance_granted_last_month_is_not_judged_again_unless_it_rises(
    quiet_run, carries_over, granted, applied, routed
):
    answer(quiet_run, costs=[{"type": "rent", "amount": applied}, {"type": "electricity", "amount": "300"}])
    if granted:
        _granted_last_month_with_rent(quiet_run, granted)
    policy = with_changes(housing_guidance__rent_accepted_carries_over=carries_over)
    assert ("rent_above_guidance" in codes(quiet_run, policy)) is routed


def test_an_emergency_that_fails_the_checks_still_says_emergency_and_unsigned_co_applicant(quiet_run):
    """A person picks up an incomplete application, but must still see at once that it is nödbistånd."""
    answer(quiet_run, emergency=True, co_applicant="198101079294", costs="not a list")
    assert {"emergency", "co_applicant_unsigned"} <= codes(quiet_run, with_changes())
