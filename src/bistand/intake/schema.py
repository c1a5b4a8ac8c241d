"""The application's answers: one shape for every channel (e-service, API, paper, phone).

`validate_application(data)` checks a JSON object and returns the normalised answers, or raises
`ApplicationInvalid` with field-level errors a person understands. Stored on `Application.answers`, each
answer carries its provenance: `{"value": ..., "source": "citizen" | "caseworker" | "register:<src>"}`.

    {
      "month": "2026-12",
      "co_applicant": "198001249286",                       # or null: the couple norm applies
      "children": [{"personnummer": "201501012395", "lunch_at_home": false, "days_in_household": 15}],
                                                             # in_school: true/false/null for a child aged 18–20
      "household_size": 3,                                   # optional: a larger shared household
      "costs": [{"type": "rent", "amount": "7800"}],        # housing and other statutory costs
      "incomes": [{"person": "applicant", "type": "salary", "amount": "4000"}],
      "assets": [{"type": "bank", "value": "1200", "description": ""}],
      "extra_needs": [{"type": "dental", "amount": "1200", "description": "akut tandvård"}],
      "emergency": false,                                    # nödbistånd: same day, always a person
      "nothing_changed": true,                               # the citizen confirms last month's answers
      "payout_account": {"clearing_number": "8327", "account_number": "..."},
      "language": "sv",                                      # letters in Swedish and this language
      "message": "",                                         # optional: free text to the caseworker
      "representative": "194001079120",                     # optional: the ombud who applied, or null
      "registers_unavailable": ["fk"],                       # optional: prefill sources that did not answer
      "registered_by": "Kim Handläggare"                     # optional: staff who registered paper or phone
    }
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from bistand.identity.personnummer import PersonnummerError, parse
from bistand.rules.model import INCOME_TYPES

STATED_COST_TYPES = (
    "rent",
    "electricity",
    "home_insurance",
    "work_travel",
    "union_fee",
    "unemployment_fund_fee",
)
EXTRA_NEED_TYPES = ("childcare", "medical", "medicine", "dental", "glasses", "other")
ASSET_TYPES = ("bank", "vehicle", "property", "shares", "other")
LANGUAGES = ("sv", "en", "ar")
MAX_AMOUNT = Decimal("1000000")
ADULT_AGE = 18  # a co-applicant is an adult
CHILD_AGE = 21  # children and youths under 21 whom the parents support (SOSFS 2013:1)
# The fields an application may hold; anything else is refused with its name, never silently dropped.
FIELDS = frozenset(
    {
        "month", "co_applicant", "children", "household_size", "costs", "incomes", "assets", "extra_needs",
        "emergency", "nothing_changed", "payout_account", "language", "message", "representative",
        "registers_unavailable", "housing", "illness", "registered_by",
    }
)  # fmt: skip
ITEM_FIELDS = {
    "children": frozenset({"personnummer", "lunch_at_home", "days_in_household", "in_school"}),
    "costs": frozenset({"type", "amount"}),
    "incomes": frozenset({"person", "type", "amount"}),
    "assets": frozenset({"type", "value", "description"}),
    "extra_needs": frozenset({"type", "amount", "description"}),
}


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": str(self.message)}


class ApplicationInvalid(ValueError):
    """The application cannot be accepted; `errors` names every field that is wrong."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


def _amount(raw: Any, field: str, errors: list[FieldError]) -> str | None:
    if isinstance(raw, bool) or raw is None or isinstance(raw, float):
        # Floats are refused: money is exact, send "7800.50" or 7800.
        errors.append(
            FieldError(field, _('Skriv beloppet som ett tal i kronor, till exempel "7800" eller "7800.50".'))
        )
        return None
    try:
        value = Decimal(str(raw).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        errors.append(
            FieldError(field, _('Skriv beloppet som ett tal i kronor, till exempel "7800" eller "7800.50".'))
        )
        return None
    if not value.is_finite() or value < 0:
        errors.append(FieldError(field, _("Beloppet kan inte vara mindre än 0 kronor.")))
        return None
    if value > MAX_AMOUNT or value.as_tuple().exponent < -2:
        errors.append(FieldError(field, _("Beloppet är för stort eller har fler än två decimaler.")))
        return None
    return str(value)


def _person(raw: Any, field: str, errors: list[FieldError]) -> str | None:
    try:
        return parse(str(raw)).digits
    except (PersonnummerError, TypeError, ValueError):
        errors.append(FieldError(field, _("Det här är inte ett giltigt personnummer. Skriv 12 siffror.")))
        return None


def _month(raw: Any, errors: list[FieldError]) -> str | None:
    try:
        month = datetime.date.fromisoformat(f"{raw}-01")
    except (TypeError, ValueError):
        errors.append(FieldError("month", _("Ange månaden som ÅÅÅÅ-MM, till exempel 2026-12.")))
        return None
    return month.isoformat()[:7]


def open_months(today: datetime.date, back: int = 1) -> list[datetime.date]:
    """The months an application can be made for on `today`: from `back` months ago to next month.

    The one window every entrance checks (the API, paper, the wizard). By default last month stays open
    for an application that arrives late (a paper form posted at the end of the month); the e-service and
    the paper form offer this month and next (`intake.forms.month_choices`). Anything older is not an
    application for income support to live on now, and a month further ahead has no facts to decide on.
    """
    this = today.replace(day=1)
    months = [this]
    for _step in range(back):
        months.insert(0, (months[0] - datetime.timedelta(days=1)).replace(day=1))
    months.append((this + datetime.timedelta(days=32)).replace(day=1))
    return months


def month_not_open(month: str, today: datetime.date) -> FieldError | None:
    """Why an application cannot be made for `month` (YYYY-MM) on `today`, or None when it can.

    Checked where an application comes in, not in `validate_application`, which the robot also uses on
    applications made months ago. The window is `open_months`, `APPLY_MONTHS_BACK` months back (default 1).
    """
    from django.conf import settings

    window = open_months(today, settings.APPLY_MONTHS_BACK)
    first, last = window[0].isoformat()[:7], window[-1].isoformat()[:7]
    if not first <= month <= last:
        return FieldError(
            "month",
            _("Du kan ansöka för månader från %(first)s till %(last)s.") % {"first": first, "last": last},
        )
    return None


def _list(data: dict, key: str, errors: list[FieldError]) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        errors.append(FieldError(key, _("Ska vara en lista.")))
        return []
    return value


def _items(data: dict, key: str, not_object: str, errors: list[FieldError]) -> list[tuple[str, dict]]:
    """The objects of a list field with their field paths; anything that is not an object is an error."""
    found = []
    for i, item in enumerate(_list(data, key, errors)):
        where = f"{key}[{i}]"
        if isinstance(item, dict):
            found.append((where, item))
        else:
            errors.append(FieldError(where, not_object))
    return found


def _unknown(data: dict, known: frozenset[str], prefix: str, errors: list[FieldError]) -> None:
    for key in data:
        if key not in known:
            errors.append(
                FieldError(
                    f"{prefix}{key}",
                    _("Fältet %(field)s finns inte i ansökan och gissas inte. Tillåtna fält: %(allowed)s.")
                    % {"field": f"{prefix}{key}", "allowed": ", ".join(sorted(known))},
                )
            )


def _choice(item: dict, key: str, allowed, field: str, errors: list[FieldError]) -> str | None:
    value = item.get(key)
    if value not in allowed:
        errors.append(FieldError(field, _("Välj en av: %(allowed)s.") % {"allowed": ", ".join(allowed)}))
        return None
    return value


def _nul_paths(value: Any, path: str) -> list[str]:
    """The field paths of every key or string in `value` that holds a NUL character."""
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found += [where] if "\x00" in str(key) else _nul_paths(item, where)
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _nul_paths(item, f"{path}[{i}]")]
    return []


def validate_application(data: Any) -> dict[str, Any]:
    """Check an application and return its normalised values (without provenance)."""
    if not isinstance(data, dict):
        raise ApplicationInvalid([FieldError("", _("Ansökan ska vara ett JSON-objekt."))])
    nul = _nul_paths(data, "")
    if nul:
        # PostgreSQL cannot store a NUL character in text; no honest answer holds one.
        raise ApplicationInvalid(
            [FieldError(path, _("Nolltecken (NUL) är inte tillåtna i texten.")) for path in nul]
        )
    errors: list[FieldError] = []
    _unknown(data, FIELDS, "", errors)
    for key, known in ITEM_FIELDS.items():
        items = data.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                _unknown(item, known, f"{key}[{i}].", errors)
    out: dict[str, Any] = {"month": _month(data.get("month"), errors)}

    co = data.get("co_applicant")
    out["co_applicant"] = _person(co, "co_applicant", errors) if co else None
    first_day = datetime.date.fromisoformat(f"{out['month']}-01") if out["month"] else None
    if out["co_applicant"] and first_day and parse(out["co_applicant"]).age_on(first_day) < ADULT_AGE:
        errors.append(
            FieldError("co_applicant", _("Den som söker tillsammans med dig ska vara minst 18 år."))
        )

    children = []
    for i, child in enumerate(_list(data, "children", errors)):
        where = f"children[{i}]"
        if not isinstance(child, dict):
            errors.append(FieldError(where, _("Ska vara ett objekt med personnummer.")))
            continue
        entry = {"personnummer": _person(child.get("personnummer"), f"{where}.personnummer", errors)}
        if (
            entry["personnummer"]
            and first_day
            and parse(entry["personnummer"]).age_on(first_day) >= CHILD_AGE
        ):
            errors.append(
                FieldError(
                    f"{where}.personnummer",
                    _("Ett barn i ansökan ska vara under 21 år. En vuxen söker i en egen ansökan."),
                )
            )
        if "lunch_at_home" in child:
            if not isinstance(child["lunch_at_home"], bool):
                errors.append(FieldError(f"{where}.lunch_at_home", _("Svara ja (true) eller nej (false).")))
            entry["lunch_at_home"] = child["lunch_at_home"]
        if child.get("in_school") is not None:
            # An 18–20-year-old in upper-secondary school is still a child of the household (FB 7 kap. 1 §).
            if not isinstance(child["in_school"], bool):
                errors.append(FieldError(f"{where}.in_school", _("Svara ja (true) eller nej (false).")))
            entry["in_school"] = child["in_school"]
        if child.get("days_in_household") is not None:
            days = child["days_in_household"]
            if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 31:
                errors.append(FieldError(f"{where}.days_in_household", _("Ange antal dagar, 1–31.")))
            entry["days_in_household"] = days
        children.append(entry)
    out["children"] = children

    size = data.get("household_size")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 30):
        errors.append(FieldError("household_size", _("Ange antalet personer i hushållet, 1–30.")))
    out["household_size"] = size

    out["costs"] = [
        {
            "type": _choice(cost, "type", STATED_COST_TYPES, f"{where}.type", errors),
            "amount": _amount(cost.get("amount"), f"{where}.amount", errors),
        }
        for where, cost in _items(data, "costs", _("Ska vara ett objekt med typ och belopp."), errors)
    ]

    incomes = []
    for where, income in _items(
        data, "incomes", _("Ska vara ett objekt med person, typ och belopp."), errors
    ):
        person = income.get("person", "applicant")
        if person not in ("applicant", "co_applicant"):
            person = _person(person, f"{where}.person", errors)
        incomes.append(
            {
                "person": person,
                "type": _choice(income, "type", tuple(INCOME_TYPES), f"{where}.type", errors),
                "amount": _amount(income.get("amount"), f"{where}.amount", errors),
            }
        )
    out["incomes"] = incomes

    out["assets"] = [
        {
            "type": _choice(asset, "type", ASSET_TYPES, f"{where}.type", errors),
            "value": _amount(asset.get("value"), f"{where}.value", errors),
            "description": str(asset.get("description", ""))[:500],
        }
        for where, asset in _items(data, "assets", _("Ska vara ett objekt med typ och värde."), errors)
    ]

    out["extra_needs"] = [
        {
            "type": _choice(need, "type", EXTRA_NEED_TYPES, f"{where}.type", errors),
            "amount": _amount(need.get("amount"), f"{where}.amount", errors),
            "description": str(need.get("description", ""))[:1000],
        }
        for where, need in _items(data, "extra_needs", _("Ska vara ett objekt med typ och belopp."), errors)
    ]

    for flag in ("emergency", "nothing_changed"):
        value = data.get(flag, False)
        if not isinstance(value, bool):
            errors.append(FieldError(flag, _("Svara ja (true) eller nej (false).")))
        out[flag] = value is True

    account = data.get("payout_account")
    if account is not None and not isinstance(account, dict):
        errors.append(
            FieldError("payout_account", _("Ange clearingnummer och kontonummer, eller bankgironummer."))
        )
        account = None
    out["payout_account"] = account

    language = data.get("language", "sv")
    if language not in LANGUAGES:
        errors.append(
            FieldError("language", _("Välj en av: %(allowed)s.") % {"allowed": ", ".join(LANGUAGES)})
        )
    out["language"] = language

    message = data.get("message", "")
    if not isinstance(message, str) or len(message) > 2000:
        errors.append(FieldError("message", _("Skriv högst 2000 tecken.")))
        message = ""
    out["message"] = message

    representative = data.get("representative")
    out["representative"] = _person(representative, "representative", errors) if representative else None

    unavailable = data.get("registers_unavailable", [])
    if not isinstance(unavailable, list) or not all(isinstance(s, str) for s in unavailable):
        errors.append(FieldError("registers_unavailable", _("Ska vara en lista.")))
        unavailable = []
    out["registers_unavailable"] = sorted(set(unavailable))

    # The bidragsreform's questions, optional (only kept when asked): a second-hand lease and its consent
    # (from 2027), and illness that keeps the applicant from the labour market with its läkarintyg.
    if data.get("housing") is not None:
        out["housing"] = _housing(data["housing"], errors)
    if data.get("illness") is not None:
        out["illness"] = _illness(data["illness"], errors)
    # Who at social services registered a paper or phone application (shown to the citizen); staff only.
    registered_by = data.get("registered_by")
    if registered_by is not None:
        if not isinstance(registered_by, str) or len(registered_by) > 200:
            errors.append(FieldError("registered_by", _("Skriv namnet på den som registrerade ansökan.")))
        else:
            out["registered_by"] = registered_by

    if errors:
        raise ApplicationInvalid(errors)
    return out


def _flag(value: Any, field: str, errors: list[FieldError], optional: bool = False) -> bool | None:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        errors.append(FieldError(field, _("Svara ja (true) eller nej (false).")))
        return None
    return value


def _housing(raw: Any, errors: list[FieldError]) -> dict[str, Any]:
    """{"second_hand_lease": bool, "sublet_consent": bool | None}."""
    if not isinstance(raw, dict):
        errors.append(FieldError("housing", _("Ska vara ett objekt.")))
        return {}
    _unknown(raw, frozenset({"second_hand_lease", "sublet_consent"}), "housing.", errors)
    return {
        "second_hand_lease": _flag(raw.get("second_hand_lease", False), "housing.second_hand_lease", errors),
        "sublet_consent": _flag(raw.get("sublet_consent"), "housing.sublet_consent", errors, optional=True),
    }


def _illness(raw: Any, errors: list[FieldError]) -> dict[str, Any]:
    """{"not_at_disposal": bool, "certificate_from": "YYYY-MM-DD" | None, "certificate_to": ...}."""
    if not isinstance(raw, dict):
        errors.append(FieldError("illness", _("Ska vara ett objekt.")))
        return {}
    _unknown(raw, frozenset({"not_at_disposal", "certificate_from", "certificate_to"}), "illness.", errors)
    out: dict[str, Any] = {
        "not_at_disposal": _flag(raw.get("not_at_disposal", False), "illness.not_at_disposal", errors)
    }
    dates = {}
    for key in ("certificate_from", "certificate_to"):
        value = raw.get(key)
        if value in (None, ""):
            out[key] = None
            continue
        try:
            dates[key] = datetime.date.fromisoformat(str(value))
            out[key] = dates[key].isoformat()
        except ValueError:
            errors.append(
                FieldError(f"illness.{key}", _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-07-01."))
            )
            out[key] = None
    if len(dates) == 2 and dates["certificate_to"] < dates["certificate_from"]:
        errors.append(FieldError("illness.certificate_to", _("Intyget kan inte sluta före det börjar.")))
    elif len(dates) == 1:
        errors.append(
            FieldError("illness", _("Ange läkarintygets period: både från och med och till och med."))
        )
    return out


def with_provenance(values: dict[str, Any], source: str = "citizen") -> dict[str, Any]:
    """Wrap each answer with where it came from, as stored on `Application.answers`."""
    return {key: {"value": value, "source": source} for key, value in values.items()}


def answer(answers: dict[str, Any], key: str, default: Any = None) -> Any:
    """The value of one stored answer, whatever its source."""
    entry = answers.get(key)
    if isinstance(entry, dict) and "value" in entry:
        return entry["value"]
    return default
