"""Register facts for the right month, classified once (issue 14, findings 1–2).

Over the whole synthetic population: the prefill shows each benefit once, at what the register pays for
the month applied for, and the prefill and the reconciliation read every register code as the same income
type. The simulator's own payments are the reference, not registers.income.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bistand.casework import reconcile
from bistand.intake import prefill
from bistand.intake.answers import Answers
from bistand.registers import RegisterError, income
from bistand.registers.client import parse_raw
from bistand.registers.facts import BenefitPayment, FkFacts
from bistand.registers.interface import to_jsonable
from bistand.registers.simulator import answers
from bistand.registers.simulator.render import wire_answer
from bistand.registers.snapshot import RegisterSnapshot
from bistand.registers.sources import Period, Source
from tests.simulator import net_monthly, sjukersattning_alone
from tests.stored_facts import whole

MONTHS = [Period(2026, 1), Period(2026, 6), Period(2026, 12)]


class SimulatedGateway:
    """The simulator's answers in process (no HTTP), in the published formats, parsed as the production
    adapters parse them."""

    def __init__(self, population) -> None:
        self.population = population
        self.asked: list[tuple[str, str]] = []
        self._answers: dict[tuple, dict] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def lookup(self, pnr: str, month: str, sources=()) -> dict:
        self.asked.append((pnr, month))
        key = (pnr, month, tuple(sources))
        if key not in self._answers:  # the same question read again (prefill, then reconciliation)
            self._answers[key] = self._lookup(pnr, month, sources)
        return self._answers[key]

    def _lookup(self, pnr: str, month: str, sources) -> dict:
        person = self.population.person(pnr)
        period = Period(int(month[:4]), int(month[5:]))
        results = {}
        for source in sources:
            try:
                facts = parse_raw(source, wire_answer(self.population, source, person, period)).facts
                results[source] = SimpleNamespace(facts=facts, error=None)
            except RegisterError as error:  # e.g. CSN cannot search a samordningsnummer
                results[source] = SimpleNamespace(facts=None, error=error)
        return results


def snapshot_of(gateway: SimulatedGateway, pnr: str, month: str) -> dict:
    """What the pipeline stores for a role: the facts in their JSON form, per source."""
    answer = gateway.lookup(pnr, month, sources=(Source.FK, Source.SO, Source.CSN))
    return {"sources": {s.value: {"facts": to_jsonable(r.facts), "error": None} for s, r in answer.items()}}


def reference(population, person, period: Period) -> dict[str, Decimal]:
    """What the simulator pays the person in the month, per code, from its own payment functions."""
    paid: dict[str, Decimal] = {}
    for code, payment in answers._fk_payments(population, person, period).items():
        paid[code] = Decimal(payment["Nettobelopp"])
    so = answers._so(population, person, period)["Arbetsloshetskassor"]
    for fund in so:
        paid["SO"] = sum((Decimal(p["NettoEfterSkatt"]) for p in fund["Utbetalningar"]), Decimal(0))
    for p in [] if person.is_samordningsnummer else answers._csn(population, person, period)["Utbetalningar"]:
        paid["CSN:student_grant"] = Decimal(p["Bidrag"])
        paid["CSN:student_loan"] = Decimal(p["Lan"])
    return {code: amount for code, amount in paid.items() if amount}


def test_sjukersattning_is_prefilled_once_at_its_monthly_amount(population, find):
    person = find(sjukersattning_alone)
    net = net_monthly(person.streams[0])
    gateway = SimulatedGateway(population)
    result = prefill.fetch(person.pnr, "2026-12", factory=lambda: gateway)
    rows = [row for row in result["incomes"] if row["person"] == "applicant"]
    assert [(r["code"], r["type"], r["amount"]) for r in rows] == [("FK:SA", "sickness_benefit", f"{net}.00")]
    assert rows[0]["month"] == "2026-12" and rows[0]["preliminary"] is False


def test_fk_answers_with_several_months_and_the_next_months_preliminary_payment(population, find):
    gateway = SimulatedGateway(population)
    fk = gateway.lookup(find(sjukersattning_alone).pnr, "2026-12", sources=(Source.FK,))[Source.FK].facts
    months = sorted({(p.covers_from.isoformat()[:7], p.preliminary) for p in fk.payments})
    assert months == [("2026-10", False), ("2026-11", False), ("2026-12", False), ("2027-01", True)]


def test_prefill_equals_the_registers_amount_for_the_month_for_everyone(population):
    """Every person in the population, three months: one row per benefit at the month's amount."""
    gateway = SimulatedGateway(population)
    checked = 0
    for person in population:
        for period in MONTHS:
            answer = gateway.lookup(person.pnr, str(period), sources=(Source.FK, Source.SO, Source.CSN))
            rows = prefill._incomes(answer, "applicant", str(period), set())
            shown: dict[str, Decimal] = {}
            for row in rows:
                key = row["code"] if row["code"] != "CSN" else f"CSN:{row['type']}"
                assert key not in shown, f"{person.pnr} {period}: {key} shown twice"
                shown[key] = Decimal(row["amount"])
                assert row["preliminary"] is False
            assert shown == reference(population, person, period), f"{person.pnr} {period}"
            checked += 1
    assert checked == 3 * len(population)


def test_prefill_and_reconciliation_classify_every_code_alike(population):
    gateway = SimulatedGateway(population)
    codes_seen = set()
    for person in population:
        if person.role.value not in ("applicant", "partner") or not person.registered:
            continue
        month = "2026-06"
        answer = gateway.lookup(person.pnr, month, sources=(Source.FK, Source.SO, Source.CSN))
        rows = prefill._incomes(answer, "applicant", month, set())
        prefilled: dict[str, Decimal] = {}
        for row in rows:
            prefilled[row["type"]] = prefilled.get(row["type"], Decimal(0)) + Decimal(row["amount"])
            codes_seen.add(row["code"])
        registered = reconcile.register_incomes(
            RegisterSnapshot.from_json({"applicant": snapshot_of(gateway, person.pnr, month)}), month
        )
        assert registered.get("applicant", {}) == prefilled, person.pnr
        # The citizen who accepts the prefill has nothing to explain.
        values = {"month": month, "incomes": [{"person": r["person"], **r} for r in rows]}
        findings = reconcile._income_findings(
            Answers.decode(values),
            RegisterSnapshot.from_json({"applicant": snapshot_of(gateway, person.pnr, month)}),
            month,
        )
        assert [f.code for f in findings if f.severity != "info"] == [], person.pnr
    assert set(answers.BENEFIT_LABELS) <= set(income.INCOME_TYPE_BY_CODE)
    assert {"FK:SA", "PM:BTI", "SO", "CSN"} <= codes_seen


def test_there_is_one_code_table():
    assert not hasattr(prefill, "FK_INCOME_TYPES")
    assert not hasattr(reconcile, "FK_INCOME_TYPES")
    assert income.income_type("FK:SA") == "sickness_benefit"
    assert income.income_type("PM:BTI") == "housing_allowance"
    assert income.income_type("FK:NEW") == "other"


def _payment(code: str, month: str, net: str, *, preliminary: bool = False, day: int = 19) -> BenefitPayment:
    first = datetime.date.fromisoformat(f"{month}-01")
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return BenefitPayment(
        code=code,
        label=code,
        paid_on=first.replace(day=day),
        covers_from=first,
        covers_to=last,
        gross=Decimal(net),
        tax=Decimal(0),
        net=Decimal(net),
        preliminary=preliminary,
    )


def _fk(*payments: BenefitPayment) -> FkFacts:
    return FkFacts(payments=payments, decisions=(), claims=())


def test_a_preliminary_payment_is_never_added_to_a_paid_one():
    rows = income.incomes(
        [
            _fk(
                _payment("FK:AS", "2026-11", "3729"),
                _payment("FK:AS", "2026-12", "3729"),
                _payment("FK:AS", "2026-12", "3729", preliminary=True),
                _payment("FK:AS", "2027-01", "3729", preliminary=True),
            )
        ]
    )
    counted = income.for_month(rows, "2026-12")
    assert [(r.amount, r.preliminary) for r in counted] == [(Decimal(3729), False)]
    assert [r.month for r in income.upcoming(rows, "2026-12")] == ["2027-01"]


def test_a_preliminary_payment_stands_in_only_when_nothing_is_paid_yet_and_says_so():
    rows = income.incomes([_fk(_payment("FK:SA", "2026-12", "9340", preliminary=True))])
    counted = income.for_month(rows, "2026-12")
    assert [(r.amount, r.preliminary) for r in counted] == [(Decimal(9340), True)]


def test_the_next_months_preliminary_payment_is_shown_to_the_caseworker_and_not_counted(population, find):
    person = find(sjukersattning_alone)
    net = net_monthly(person.streams[0])
    gateway = SimulatedGateway(population)
    month = "2026-12"
    snapshot = {"applicant": snapshot_of(gateway, person.pnr, month)}
    values = {
        "month": month,
        "incomes": [{"person": "applicant", "type": "sickness_benefit", "amount": net}],
    }
    findings = reconcile._income_findings(Answers.decode(values), RegisterSnapshot.from_json(snapshot), month)
    assert [(f.code, f.severity) for f in findings] == [("preliminary_payment", "info")]
    assert "preliminär" in findings[0].message and "räknas inte in" in findings[0].message
    assert reconcile.register_incomes(RegisterSnapshot.from_json(snapshot), month) == {
        "applicant": {"sickness_benefit": Decimal(net)}
    }


@pytest.mark.parametrize("stated", ["6000", "6089", "6091", "0"])
def test_every_difference_from_the_register_is_a_finding_to_the_krona(stated):
    month = "2026-11"
    snapshot = {
        "applicant": {
            "sources": {
                "so": {
                    "facts": whole(
                        "so",
                        {
                            "payments": [
                                {
                                    "fund": "Unionens a-kassa",
                                    "paid_on": "2026-11-20",
                                    "covers_from": "2026-11-01",
                                    "covers_to": "2026-11-15",
                                    "net_after_tax": "6090",
                                }
                            ]
                        },
                    )
                }
            }
        }
    }
    incomes = (
        [{"person": "applicant", "type": "unemployment_benefit", "amount": stated}] if stated != "0" else []
    )
    findings = reconcile._income_findings(
        Answers.decode({"month": month, "incomes": incomes}), RegisterSnapshot.from_json(snapshot), month
    )
    assert [f.code for f in findings] == ["undeclared_income" if stated == "0" else "income_differs"]
    assert findings[0].severity in ("notice", "warning")


def test_a_stated_income_the_answering_register_does_not_show_is_a_finding():
    month = "2026-11"
    snapshot = {"applicant": {"sources": {"fk": {"facts": whole("fk", {"payments": []})}}}}
    values = {
        "month": month,
        "incomes": [{"person": "applicant", "type": "sickness_benefit", "amount": "500"}],
    }
    assert [
        f.code
        for f in reconcile._income_findings(
            Answers.decode(values), RegisterSnapshot.from_json(snapshot), month
        )
    ] == ["income_differs"]
    # Salary is not in these registers: nothing to compare it with.
    values = {"month": month, "incomes": [{"person": "applicant", "type": "salary", "amount": "500"}]}
    assert (
        reconcile._income_findings(Answers.decode(values), RegisterSnapshot.from_json(snapshot), month) == []
    )


def test_the_citizen_is_told_when_a_prefilled_amount_is_a_payment_not_yet_made():
    from bistand.intake.forms import IncomeForm

    rows = [
        {"person": "applicant", "type": "sickness_benefit", "amount": "9340.00", "source": "register:fk"},
        {
            "person": "applicant",
            "type": "activity_support",
            "amount": "3729.00",
            "source": "register:fk",
            "preliminary": True,
        },
    ]
    form = IncomeForm(month=datetime.date(2026, 12, 1), context={"income_rows": rows})
    assert "planerad utbetalning" not in str(form.fields["row_0"].help_text)
    assert "planerad utbetalning som inte är gjord ännu" in str(form.fields["row_1"].help_text)


def test_the_code_to_income_type_map_is_written_once():
    """issue 18 item 7: no second table of benefit code → income type anywhere in the code."""
    import ast
    from pathlib import Path

    types = set(income.INCOME_TYPE_BY_CODE.values())
    root = Path(income.__file__).resolve().parents[1]
    holders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                pairs = {
                    k.value: v.value
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
                }
                if any(
                    isinstance(k, str) and k.startswith(("FK:", "PM:")) and v in types
                    for k, v in pairs.items()
                ):
                    holders.append(str(path.relative_to(root)))
    assert holders == ["registers/income.py"]
