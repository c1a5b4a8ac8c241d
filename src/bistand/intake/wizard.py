"""The e-application as steps over a server-side draft.

A draft keeps, per step, exactly what the citizen typed (even when it was wrong), the register prefill and,
for a monthly re-application, last month's answers. Nothing typed is ever lost: every POST is saved before
it is checked. At the end the steps are assembled into the answers schema (`schema.validate_application`)
with each value's provenance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bistand.intake import forms as f
from bistand.intake import prefill
from bistand.intake.models import Application
from bistand.intake.schema import validate_application, values_of, with_provenance
from bistand.registers.income import TYPES_BY_SOURCE


@dataclass(frozen=True)
class Step:
    name: str
    title: Any
    form: type[f.StepForm]


STEPS: tuple[Step, ...] = (
    Step("month", _("Månad"), f.MonthForm),
    Step("household", _("Hushållet"), f.HouseholdForm),
    Step("housing", _("Boende och kostnader"), f.HousingForm),
    Step("income", _("Inkomster"), f.IncomeForm),
    Step("assets", _("Tillgångar"), f.AssetsForm),
    Step("needs", _("Andra behov"), f.NeedsForm),
    Step("payout", _("Utbetalning"), f.PayoutForm),
)
STEP_NAMES = tuple(s.name for s in STEPS)
STEP_BY_NAME = {s.name: s for s in STEPS}

# The register that supplies each income type; a previous amount is carried only when it did not answer.
REGISTER_OF_TYPE = {kind: source for source, kinds in TYPES_BY_SOURCE.items() for kind in kinds}
TYPED_INCOME = ("salary", "other")


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.DRAFT_LIFETIME_DAYS)


def touch(application: Application) -> None:
    """The draft was worked on: it is kept for the full lifetime from now."""
    application.expires_at = timezone.now() + lifetime()


def expires_soon(application: Application) -> bool:
    if application.expires_at is None:
        return False
    return application.expires_at - timezone.now() <= datetime.timedelta(days=settings.DRAFT_WARNING_DAYS)


def month_of(application: Application) -> str:
    return application.month.isoformat()[:7]


# --- building a draft --------------------------------------------------------------------------------


def income_rows(prefilled: dict[str, Any], previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The income amounts shown prefilled: fresh register amounts, and last month's where a register failed."""
    rows = [dict(row) for row in prefilled.get("incomes", [])]
    failed = set(prefilled.get("failed", []))
    for income in (previous or {}).get("incomes", []):
        register = REGISTER_OF_TYPE.get(income["type"])
        if income["type"] in TYPED_INCOME or (register is not None and register not in failed):
            continue
        rows.append({**income, "source": "previous"})
    return rows


def refresh_prefill(application: Application) -> None:
    """Ask the registers for the application's month and keep the answer on the draft."""
    data = prefill.fetch(application.applicant.personnummer, month_of(application))
    application.draft["prefill"] = data
    application.draft["income_rows"] = income_rows(data, application.draft.get("previous"))
    application.draft.get("steps", {}).pop("income", None)
    _update_person(application, data)


def _update_person(application: Application, data: dict[str, Any]) -> None:
    """Names and protection from Navet onto the person record. Protection is only ever raised here."""
    person = application.applicant
    changed = []
    if data.get("name") and person.first_name in ("", "Testperson"):
        person.first_name, person.last_name = data["name"]["first"], data["name"]["last"]
        changed += ["first_name", "last_name"]
    protection = data.get("protection")
    if protection and protection != "none" and person.protection == person.Protection.NONE:
        person.protection = protection
        changed.append("protection")
    if changed:
        person.save(update_fields=changed)


def new_draft(
    applicant,
    municipality,
    month: str,
    *,
    previous: Application | None = None,
    representative=None,
    power_of_attorney=None,
) -> Application:
    """Create a draft for ``month``, prefilled from the registers (and last month's answers, if any)."""
    application = Application(
        applicant=applicant,
        municipality=municipality,
        month=datetime.date.fromisoformat(f"{month}-01"),
        kind=Application.Kind.RENEWAL if previous else Application.Kind.FIRST,
        previous=previous,
        representative=representative,
        power_of_attorney=power_of_attorney,
        draft={"steps": {}, "previous": values_of(previous) if previous else None},
    )
    refresh_prefill(application)
    touch(application)
    application.save()
    return application


# --- the steps -----------------------------------------------------------------------------------------


def base_values(application: Application) -> dict[str, Any]:
    """What the forms start from: last month's answers, or the register prefill for a first application."""
    draft = application.draft
    pre = draft.get("prefill", {})
    previous = draft.get("previous")
    if previous:
        values = dict(previous)
        values["month"] = month_of(application)
    else:
        values = {
            "month": month_of(application),
            "children": [
                {"personnummer": c["personnummer"], **({"in_school": True} if c.get("in_school") else {})}
                for c in pre.get("children", [])
            ],
        }
        # A spouse is in Navet; a sambo is not, so without a spouse the question is left for the citizen.
        if pre.get("co_applicant"):
            values["co_applicant"] = pre["co_applicant"]["personnummer"]
    typed = [i for i in values.get("incomes", []) if i["type"] in TYPED_INCOME]
    values["incomes"] = typed + [
        {"person": r["person"], "type": r["type"], "amount": r["amount"]}
        for r in draft.get("income_rows", [])
    ]
    return values


def raw_of(application: Application, step: str) -> QueryDict | None:
    stored = application.draft.get("steps", {}).get(step)
    if stored is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in stored.items():
        data.setlist(key, values)
    return data


def save_raw(application: Application, step: str, post: QueryDict) -> None:
    """Keep exactly what was typed on a step (never the CSRF token or the buttons)."""
    # NUL cannot be typed, and PostgreSQL's jsonb refuses it: a forged NUL must not lose the draft (a 500).
    kept = {
        k.replace("\x00", ""): [x.replace("\x00", "") for x in v]
        for k, v in post.lists()
        if k not in {"csrfmiddlewaretoken", "action"}
    }
    application.draft.setdefault("steps", {})[step] = kept
    application.draft["last_step"] = step
    touch(application)


def names(application: Application) -> dict[str, str]:
    pre = application.draft.get("prefill", {})
    found = {c["personnummer"]: c.get("name", "") for c in pre.get("children", [])}
    if pre.get("co_applicant"):
        found[pre["co_applicant"]["personnummer"]] = pre["co_applicant"].get("name", "")
    return found


def form_context(application: Application) -> dict[str, Any]:
    """What a step's form needs to know about the other steps."""
    household = step_values(application, "household", with_context=False)
    co = (household if household is not None else base_values(application)).get("co_applicant")
    return {
        "applicant_pnr": application.applicant.personnummer,
        "has_co_applicant": bool(co),
        "co_applicant_name": names(application).get(co or "", ""),
        "income_rows": application.draft.get("income_rows", []),
        # An ombud fills in the principal's application: the account is the principal's, not the ombud's.
        "principal_name": application.applicant.full_name if application.representative_id else "",
    }


def build(application: Application, step: str, data: QueryDict | None = None, *, context=None):
    """The step's form (and for the household, the children's formset), bound to ``data`` or to what was
    typed before, else filled from the base values."""
    spec = STEP_BY_NAME[step]
    month = application.month
    context = context if context is not None else form_context(application)
    data = data if data is not None else raw_of(application, step)
    if data is not None:
        form = spec.form(data, month=month, context=context)
        formset = f.ChildFormSet(data, prefix="child", month=month) if step == "household" else None
        return form, formset
    values = base_values(application)
    form = spec.form(initial=spec.form.initial_from(values, context), month=month, context=context)
    formset = None
    if step == "household":
        pre = application.draft.get("prefill", {})
        sources = {c["personnummer"]: c.get("source", "") for c in pre.get("children", [])}
        formset = f.ChildFormSet(
            initial=f.children_initial(values, names(application), sources), prefix="child", month=month
        )
    return form, formset


def step_values(application: Application, step: str, *, with_context: bool = True) -> dict[str, Any] | None:
    """The step's values when what is stored (or the base values) passes its checks, else None."""
    context = (
        form_context(application) if with_context else {"applicant_pnr": application.applicant.personnummer}
    )
    data = raw_of(application, step)
    if data is None:
        if application.kind == Application.Kind.FIRST and step != "month":
            return None
        # A re-application: last month's answers stand for the steps the citizen did not open.
        return _values_from_base(application, step)
    form, formset = build(application, step, data, context=context)
    if not form.is_valid() or (formset is not None and not formset.is_valid()):
        return None
    values = form.values()
    if formset is not None:
        values["children"] = formset.values()
    return values


def _values_from_base(application: Application, step: str) -> dict[str, Any]:
    values = base_values(application)
    keys = {
        "month": ("month", "emergency"),
        "household": ("co_applicant", "children", "household_size"),
        "housing": ("costs", "housing"),
        "income": ("incomes",),
        "assets": ("assets",),
        "needs": ("extra_needs", "message", "illness"),
        "payout": ("payout_account",),
    }[step]
    return {key: values.get(key) for key in keys if key in values}


# --- assembling the answers ----------------------------------------------------------------------------


class Incomplete(Exception):
    def __init__(self, steps: list[Step]) -> None:
        super().__init__("incomplete")
        self.steps = steps


def assemble(application: Application, *, nothing_changed: bool, language: str) -> dict[str, Any]:
    """The answers to store, in the schema's shape, each value with its source. Raises `Incomplete`."""
    parts: dict[str, Any] = {}
    missing = []
    for spec in STEPS:
        values = step_values(application, spec.name)
        if values is None:
            missing.append(spec)
        else:
            parts.update(values)
    if missing:
        raise Incomplete(missing)
    children = parts.get("children") or []
    if "others_in_home" in parts:
        others = parts.pop("others_in_home")
        parts["household_size"] = (
            (1 + (1 if parts.get("co_applicant") else 0) + len(children) + others) if others else None
        )
    if not parts.get("co_applicant"):
        parts["incomes"] = [i for i in parts.get("incomes", []) if i["person"] != "co_applicant"]
    pre = application.draft.get("prefill", {})
    data = {
        **parts,
        "nothing_changed": nothing_changed,
        "language": language if language in ("sv", "en", "ar") else "sv",
        "representative": application.representative.personnummer if application.representative else None,
        "registers_unavailable": pre.get("failed", []),
    }
    values = validate_application(data)
    return _with_sources(values, application)


def _with_sources(values: dict[str, Any], application: Application) -> dict[str, Any]:
    """Mark what came from a register and was left as it was; everything else is the citizen's."""
    pre = application.draft.get("prefill", {})
    answers = with_provenance(values, "citizen")

    spouse = (pre.get("co_applicant") or {}).get("personnummer")
    if values["co_applicant"] and values["co_applicant"] == spouse:
        answers["co_applicant"]["source"] = "register:navet"

    from_navet = {c["personnummer"] for c in pre.get("children", [])}
    child_sources = [
        "register:navet" if c["personnummer"] in from_navet else "citizen" for c in values["children"]
    ]
    answers["children"]["sources"] = child_sources
    navet_answered = "navet" not in pre.get("failed", []) and pre.get("name") is not None
    if navet_answered and {c["personnummer"] for c in values["children"]} == from_navet:
        answers["children"]["source"] = "register:navet"

    rows = [
        r for r in application.draft.get("income_rows", []) if r.get("source", "").startswith("register:")
    ]
    income_sources, overrides = [], []
    unused = list(rows)
    for index, income in enumerate(values["incomes"]):
        match = next(
            (r for r in unused if r["person"] == income["person"] and r["type"] == income["type"]), None
        )
        if match is None:
            income_sources.append("citizen")
            continue
        unused.remove(match)
        if _same_amount(match["amount"], income["amount"]):
            income_sources.append(match["source"])
        else:
            income_sources.append("citizen")
            overrides.append({"index": index, "register_value": match["amount"], "source": match["source"]})
    # A register amount the citizen removed (set to 0) is an override too.
    for row in unused:
        overrides.append(
            {
                "index": None,
                "register_value": row["amount"],
                "source": row["source"],
                "type": row["type"],
                "person": row["person"],
            }
        )
    answers["incomes"]["sources"] = income_sources
    if overrides:
        answers["incomes"]["overrides"] = overrides
    if income_sources and len(set(income_sources)) == 1 and income_sources[0] != "citizen":
        answers["incomes"]["source"] = income_sources[0]
    return answers


def _same_amount(a: str, b: str) -> bool:
    from decimal import Decimal

    return Decimal(str(a)) == Decimal(str(b))
