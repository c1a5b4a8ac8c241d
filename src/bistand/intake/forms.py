"""The steps of the e-application, one form each. Every message says what to do about the problem.

Each step form turns its cleaned data into its part of the answers schema (`values()`), and can be filled
from earlier values (`initial_from(values)`) for a monthly re-application or a returning draft.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bistand.core.forms import DesignSystemForm, MoneyField
from bistand.identity.personnummer import PersonnummerError, parse
from bistand.intake.accounts import check_account, check_bankgiro
from bistand.intake.labels import ASSET_LABELS, COST_LABELS, INCOME_LABELS, NEED_LABELS, source_label
from bistand.intake.schema import open_months
from bistand.rules.ages import CHILD_AGE_LIMIT, LUNCH_AGE_LIMIT, SCHOOL_AGE
from bistand.rules.money import json_number

SCHOOL_CHOICES = {"yes": True, "no": False, "unknown": None}

YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]


def month_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The months the e-service and the paper form offer: this month and next (of `open_months`)."""
    this, following = open_months(today or timezone.localdate(), back=0)
    return [(m.isoformat()[:7], date_format(m, "F Y")) for m in (this, following)]


def _money(value: Decimal | None) -> str | None:
    """An amount as the schema wants it (`rules.money.json_number`), or None when nothing was typed."""
    return None if value is None else json_number(value)


def _display_amount(value: Any) -> str:
    """An amount from the answers as it is typed back into a form field."""
    if value in (None, ""):
        return ""
    amount = Decimal(str(value))
    return str(int(amount)) if amount == amount.to_integral() else str(amount).replace(".", ",")


def optional_money(label, help_text: str | None = None) -> MoneyField:
    field = MoneyField(label=label, required=False, help_text=help_text or "")
    return field


def check_personnummer(raw: str, *, adult: bool | None, month: datetime.date) -> str:
    """Parse a personnummer typed in the form; the error says how to write it."""
    try:
        number = parse(raw)
    except PersonnummerError:
        raise forms.ValidationError(
            _("Skriv personnumret med 12 siffror, till exempel 201501012395. Kontrollera att det är rätt.")
        ) from None
    age = number.age_on(month)
    if adult is True and age < 18:
        raise forms.ValidationError(_("Den som söker tillsammans med dig ska vara minst 18 år."))
    if adult is False and age >= CHILD_AGE_LIMIT:
        raise forms.ValidationError(
            _("Barnet är 21 år eller äldre. Ta bort barnet här; vuxna barn söker själva.")
        )
    return number.digits


class StepForm(DesignSystemForm):
    """A step of the application: knows the month it is for and what came before."""

    def __init__(self, *args, month: datetime.date, context: dict | None = None, **kwargs) -> None:
        self.month = month
        self.context = context or {}
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_from(cls, values: dict[str, Any], context: dict) -> dict[str, Any]:
        return {}

    def values(self) -> dict[str, Any]:
        raise NotImplementedError


class MonthForm(StepForm):
    month_applied = forms.ChoiceField(
        label=_("Vilken månad söker du för?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj den månad du söker pengar för."),
            "invalid_choice": _("Välj en av månaderna i listan."),
        },
    )

    # Asked first: someone without money for food or a roof tonight should not have to get to step six.
    emergency = forms.BooleanField(
        label=_("Jag har inga pengar till mat eller boende de närmaste dagarna (akut behov)"),
        help_text=_("Då tittar en handläggare på din ansökan samma dag."),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month_applied"].choices = month_choices()

    @classmethod
    def initial_from(cls, values, context):
        return {"month_applied": values.get("month"), "emergency": bool(values.get("emergency"))}

    def values(self):
        return {
            "month": self.cleaned_data["month_applied"],
            "emergency": bool(self.cleaned_data.get("emergency")),
        }


class HouseholdForm(StepForm):
    has_co_applicant = forms.ChoiceField(
        label=_("Bor du med make, maka, registrerad partner eller sambo?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara ja eller nej: bor du med make, maka eller sambo?")},
    )
    co_applicant = forms.CharField(
        label=_("Personnummer för din make, maka eller sambo"),
        help_text=_("12 siffror. Ni söker tillsammans och båda skriver under med sin egen e-legitimation."),
        required=False,
        max_length=13,
    )
    others_in_home = forms.IntegerField(
        label=_("Hur många andra bor i bostaden? (till exempel vuxna barn eller inneboende)"),
        help_text=_("Räkna inte dig själv, din make, maka eller sambo eller barnen nedan. Skriv 0 om ingen."),
        required=False,
        min_value=0,
        max_value=20,
        error_messages={
            "invalid": _("Skriv antalet med siffror, till exempel 0 eller 1."),
            "min_value": _("Antalet kan inte vara mindre än 0."),
            "max_value": _("Kontrollera antalet. Ring oss om fler än 20 personer bor i bostaden."),
        },
    )

    @classmethod
    def initial_from(cls, values, context):
        co = values.get("co_applicant")
        members = 1 + (1 if co else 0) + len(values.get("children") or [])
        size = values.get("household_size")
        return {
            "has_co_applicant": ("yes" if co else "no") if "co_applicant" in values else None,
            "co_applicant": co or "",
            "others_in_home": (size - members) if size and size > members else 0,
        }

    def clean(self):
        data = super().clean()
        if data.get("has_co_applicant") == "yes":
            raw = (data.get("co_applicant") or "").strip()
            if not raw:
                self.add_error("co_applicant", _("Skriv personnumret för din make, maka eller sambo."))
            else:
                try:
                    pnr = check_personnummer(raw, adult=True, month=self.month)
                except forms.ValidationError as error:
                    self.add_error("co_applicant", error)
                else:
                    if pnr == self.context.get("applicant_pnr"):
                        self.add_error(
                            "co_applicant", _("Skriv den andra personens personnummer, inte ditt eget.")
                        )
                    data["co_applicant"] = pnr
        return data

    def values(self):
        data = self.cleaned_data
        return {
            "co_applicant": data["co_applicant"] if data["has_co_applicant"] == "yes" else None,
            "others_in_home": data.get("others_in_home") or 0,
        }


class ChildForm(DesignSystemForm):
    personnummer = forms.CharField(
        label=_("Barnets personnummer"), help_text=_("12 siffror, till exempel 201501012395."), max_length=13
    )
    name = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    lunch_at_preschool = forms.BooleanField(
        label=_("Barnet äter lunch i förskolan på vardagar (gäller barn under 7 år)"), required=False
    )
    days_in_household = forms.IntegerField(
        label=_("Bor barnet hos dig bara en del av månaden? Skriv hur många dagar."),
        help_text=_("Lämna tomt om barnet bor hos dig hela månaden."),
        required=False,
        min_value=1,
        max_value=31,
        error_messages={
            "invalid": _("Skriv antalet dagar med siffror, 1–31, eller lämna tomt."),
            "min_value": _("Skriv antalet dagar, 1–31, eller lämna tomt."),
            "max_value": _("Skriv antalet dagar, 1–31, eller lämna tomt."),
        },
    )

    in_school = forms.ChoiceField(
        label=_("Går ungdomen i gymnasiet? (gäller den som har fyllt 18 men inte 21 år)"),
        help_text=_("Vi har fyllt i ja om CSN betalar studiehjälp till ungdomen."),
        choices=[
            ("yes", _("Ja, går i gymnasiet")),
            ("no", _("Nej")),
            ("unknown", _("Vet inte")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, month: datetime.date, **kwargs) -> None:
        self.month = month
        super().__init__(*args, **kwargs)
        self.fields["personnummer"].error_messages["required"] = _(
            "Skriv barnets personnummer, eller markera att barnet ska tas bort."
        )
        if not self._may_eat_at_preschool():
            del self.fields["lunch_at_preschool"]  # asked only where it applies: children under 7

    def _may_eat_at_preschool(self) -> bool:
        """Whether the preschool-lunch question applies: a child under 7, or one not yet identified."""
        if self.is_bound:
            pnr = self.data.get(self.add_prefix("personnummer"), "")
        else:
            pnr = self.initial.get("personnummer", "")
        try:
            return parse(str(pnr)).age_on(self.month) <= LUNCH_AGE_LIMIT
        except (PersonnummerError, ValueError):
            return True

    def clean_personnummer(self) -> str:
        return check_personnummer(self.cleaned_data["personnummer"], adult=False, month=self.month)

    def clean(self):
        data = super().clean()
        pnr = data.get("personnummer")
        left_school = data.get("in_school") == "no" and not data.get("DELETE")
        if pnr and left_school and parse(pnr).age_on(self.month) >= SCHOOL_AGE:
            # Not in upper-secondary school: the parents' duty of maintenance has ended (FB 7 kap. 1 §).
            self.add_error(
                "in_school",
                _(
                    "En ungdom som har fyllt 18 och inte går i gymnasiet räknas inte med i din ansökan. "
                    "Hen kan söka försörjningsstöd själv, i en egen ansökan. Ta bort hen härifrån."
                ),
            )
        return data


class BaseChildFormSet(forms.BaseFormSet):
    def __init__(self, *args, month: datetime.date, **kwargs) -> None:
        self.month = month
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"month": self.month}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Ta bort barnet från ansökan")
            form.fields["DELETE"].widget.attrs["class"] = "ds-input"

    @property
    def empty_form(self):
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), month=self.month)

    def clean(self):
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            pnr = getattr(form, "cleaned_data", {}).get("personnummer")
            if pnr and pnr in seen:
                form.add_error("personnummer", _("Det här barnet finns redan med. Ta bort den ena raden."))
            seen.add(pnr)

    def values(self) -> list[dict[str, Any]]:
        children = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("personnummer"):
                continue
            child: dict[str, Any] = {"personnummer": data["personnummer"]}
            if parse(data["personnummer"]).age_on(self.month) <= LUNCH_AGE_LIMIT:
                child["lunch_at_home"] = not data.get("lunch_at_preschool")
            if data.get("days_in_household"):
                child["days_in_household"] = data["days_in_household"]
            if parse(data["personnummer"]).age_on(self.month) >= SCHOOL_AGE:
                school = SCHOOL_CHOICES.get(data.get("in_school") or "unknown")
                if school is not None:  # not known: left out, and a caseworker settles it
                    child["in_school"] = school
            children.append(child)
        return children


ChildFormSet = forms.formset_factory(
    ChildForm, formset=BaseChildFormSet, extra=0, can_delete=True, max_num=15
)


def children_initial(values: dict[str, Any], names: dict[str, str], sources: dict[str, str]) -> list[dict]:
    return [
        {
            "personnummer": child["personnummer"],
            "name": names.get(child["personnummer"], ""),
            "source": sources.get(child["personnummer"], ""),
            "lunch_at_preschool": child.get("lunch_at_home") is False,
            "days_in_household": child.get("days_in_household"),
            "in_school": {True: "yes", False: "no"}.get(child.get("in_school"), ""),
        }
        for child in values.get("children") or []
    ]


class HousingForm(StepForm):
    rent = optional_money(COST_LABELS["rent"], _("Per månad, i kronor. Lämna tomt om du inte betalar hyra."))
    electricity = optional_money(COST_LABELS["electricity"], _("Per månad, i kronor."))
    home_insurance = optional_money(COST_LABELS["home_insurance"], _("Per månad, i kronor."))
    work_travel = optional_money(COST_LABELS["work_travel"], _("Per månad, om du arbetar."))
    union_fee = optional_money(COST_LABELS["union_fee"])
    unemployment_fund_fee = optional_money(COST_LABELS["unemployment_fund_fee"])
    # From 2027 housing cost for a second-hand lease needs the landlord's consent or the hyresnämnd's
    # permission (prop. 2025/26:201); asked here so that a person can check it, never to refuse by machine.
    second_hand_lease = forms.BooleanField(label=_("Jag hyr bostaden i andra hand"), required=False)
    sublet_consent = forms.ChoiceField(
        label=_("Har hyresvärden eller hyresnämnden godkänt att du hyr i andra hand?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("yes", _("Ja, uthyrningen är godkänd")),
            ("no", _("Nej, den är inte godkänd")),
            ("unknown", _("Jag vet inte")),
        ],
    )

    @classmethod
    def initial_from(cls, values, context):
        initial = {c["type"]: _display_amount(c["amount"]) for c in values.get("costs") or []}
        housing = values.get("housing") or {}
        initial["second_hand_lease"] = bool(housing.get("second_hand_lease"))
        consent = housing.get("sublet_consent")
        initial["sublet_consent"] = (
            "" if not housing else {True: "yes", False: "no", None: "unknown"}[consent]
        )
        return initial

    def values(self):
        costs = []
        for name in COST_LABELS:
            amount = _money(self.cleaned_data.get(name))
            if amount is not None:
                costs.append({"type": name, "amount": amount})
        housing = None
        if self.cleaned_data.get("second_hand_lease"):
            consent = {"yes": True, "no": False}.get(self.cleaned_data.get("sublet_consent") or "")
            housing = {"second_hand_lease": True, "sublet_consent": consent}
        return {"costs": costs, "housing": housing}


class IncomeForm(StepForm):
    """Incomes in the month: salary typed by each adult, register amounts prefilled and editable."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        month_name = date_format(self.month, "F Y")
        co_name = self.context.get("co_applicant_name") or _("din make, maka eller sambo")
        adults = ["applicant", "co_applicant"] if self.context.get("has_co_applicant") else ["applicant"]
        labels = {
            "applicant": (
                _("Din lön efter skatt i %(month)s") % {"month": month_name},
                _("Dina andra inkomster i %(month)s") % {"month": month_name},
            ),
            "co_applicant": (
                _("Lön efter skatt i %(month)s för %(name)s") % {"month": month_name, "name": co_name},
                _("Andra inkomster i %(month)s för %(name)s") % {"month": month_name, "name": co_name},
            ),
        }
        for person in adults:
            self.fields[f"salary_{person}"] = optional_money(
                labels[person][0], _("Lämna tomt om ingen lön. Ta med lön du väntar dig under månaden.")
            )
        for index, row in enumerate(self.context.get("income_rows", [])):
            if row["person"] not in adults:
                continue
            who = _("du") if row["person"] == "applicant" else co_name
            label = f"{INCOME_LABELS.get(row['type'], INCOME_LABELS['other'])} ({who})"
            source = row.get("source", "citizen")
            if source.startswith("register:") and row.get("preliminary"):
                help_text = _(
                    "Hämtat från %(source)s: en planerad utbetalning som inte är gjord ännu. Ändra beloppet "
                    "om det inte stämmer."
                ) % {"source": source_label(source)}
            elif source.startswith("register:"):
                help_text = _("Hämtat från %(source)s. Ändra beloppet om det inte stämmer.") % {
                    "source": source_label(source)
                }
            else:
                help_text = _("Från din förra ansökan. Ändra beloppet om det inte stämmer.")
            self.fields[f"row_{index}"] = MoneyField(label=label, help_text=help_text)
        for person in adults:
            self.fields[f"other_{person}"] = optional_money(
                labels[person][1],
                _("Till exempel pension från ett annat land, gåvor eller försäljning. Lämna tomt om inga."),
            )
        # DesignSystemForm styled the fields declared on the class; these were added afterwards.
        for field in self.fields.values():
            if "ds-input" not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} ds-input".strip()

    @classmethod
    def initial_from(cls, values, context):
        initial: dict[str, Any] = {}
        for income in values.get("incomes") or []:
            if income["type"] in ("salary", "other") and income["person"] in ("applicant", "co_applicant"):
                key = f"{income['type'] if income['type'] == 'salary' else 'other'}_{income['person']}"
                previous = Decimal(str(initial.get(key, "0")).replace(",", "."))
                initial[key] = _display_amount(previous + Decimal(income["amount"]))
        for index, row in enumerate(context.get("income_rows", [])):
            initial[f"row_{index}"] = _display_amount(row["amount"])
        return initial

    def values(self):
        data = self.cleaned_data
        incomes = []
        for person in ("applicant", "co_applicant"):
            amount = _money(data.get(f"salary_{person}"))
            if amount not in (None, "0"):
                incomes.append({"person": person, "type": "salary", "amount": amount})
        for index, row in enumerate(self.context.get("income_rows", [])):
            name = f"row_{index}"
            if name in self.fields:
                amount = _money(data.get(name))
                if amount not in (None, "0"):
                    incomes.append({"person": row["person"], "type": row["type"], "amount": amount})
        for person in ("applicant", "co_applicant"):
            amount = _money(data.get(f"other_{person}"))
            if amount not in (None, "0"):
                incomes.append({"person": person, "type": "other", "amount": amount})
        return {"incomes": incomes}


class AssetsForm(StepForm):
    bank = optional_money(
        ASSET_LABELS["bank"], _("Alla dina konton tillsammans. Lämna tomt om du inte har några.")
    )
    vehicle = optional_money(ASSET_LABELS["vehicle"])
    property = optional_money(ASSET_LABELS["property"])
    shares = optional_money(ASSET_LABELS["shares"])
    other = optional_money(ASSET_LABELS["other"])
    description = forms.CharField(
        label=_("Beskriv det som har ett värde (frivilligt)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )

    @classmethod
    def initial_from(cls, values, context):
        initial = {a["type"]: _display_amount(a["value"]) for a in values.get("assets") or []}
        descriptions = [a.get("description", "") for a in values.get("assets") or [] if a.get("description")]
        initial["description"] = descriptions[0] if descriptions else ""
        return initial

    def values(self):
        assets = []
        for name in ASSET_LABELS:
            value = _money(self.cleaned_data.get(name))
            if value not in (None, "0"):
                assets.append({"type": name, "value": value, "description": ""})
        if assets:
            assets[0]["description"] = self.cleaned_data.get("description", "")
        return {"assets": assets}


class NeedsForm(StepForm):
    childcare = optional_money(NEED_LABELS["childcare"])
    medical = optional_money(NEED_LABELS["medical"])
    medicine = optional_money(NEED_LABELS["medicine"])
    dental = optional_money(NEED_LABELS["dental"], _("Skriv vad tandläkaren har sagt att det kostar."))
    glasses = optional_money(NEED_LABELS["glasses"])
    other = optional_money(NEED_LABELS["other"])
    description = forms.CharField(
        label=_("Berätta kort vad du behöver (frivilligt)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    # From 1 July 2026 someone whom illness keeps from working provides a läkarintyg (prop. 2025/26:201).
    ill = forms.BooleanField(
        label=_("Jag kan inte arbeta eller söka arbete på grund av sjukdom"), required=False
    )
    certificate_from = forms.DateField(
        label=_("Läkarintyget gäller från (frivilligt)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    certificate_to = forms.DateField(
        label=_("Läkarintyget gäller till (frivilligt)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    message = forms.CharField(
        label=_("Vill du berätta något mer för handläggaren? (frivilligt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )

    @classmethod
    def initial_from(cls, values, context):
        initial: dict[str, Any] = {
            n["type"]: _display_amount(n["amount"]) for n in values.get("extra_needs") or []
        }
        descriptions = [
            n.get("description", "") for n in values.get("extra_needs") or [] if n.get("description")
        ]
        initial["description"] = descriptions[0] if descriptions else ""
        initial["message"] = values.get("message", "")
        illness = values.get("illness") or {}
        initial["ill"] = bool(illness.get("not_at_disposal"))
        initial["certificate_from"] = illness.get("certificate_from") or ""
        initial["certificate_to"] = illness.get("certificate_to") or ""
        return initial

    def clean(self):
        data = super().clean()
        start, end = data.get("certificate_from"), data.get("certificate_to")
        if bool(start) != bool(end):
            self.add_error(
                "certificate_to" if start else "certificate_from",
                _("Skriv både från vilket datum och till vilket datum intyget gäller."),
            )
        elif start and end and end < start:
            self.add_error("certificate_to", _("Intyget kan inte sluta före det börjar."))
        return data

    def values(self):
        needs = []
        for name in NEED_LABELS:
            amount = _money(self.cleaned_data.get(name))
            if amount not in (None, "0"):
                needs.append({"type": name, "amount": amount, "description": ""})
        if needs:
            needs[0]["description"] = self.cleaned_data.get("description", "")
        illness = None
        if self.cleaned_data.get("ill"):
            start, end = self.cleaned_data.get("certificate_from"), self.cleaned_data.get("certificate_to")
            illness = {
                "not_at_disposal": True,
                "certificate_from": start.isoformat() if start else None,
                "certificate_to": end.isoformat() if end else None,
            }
        return {
            "extra_needs": needs,
            "message": self.cleaned_data.get("message", ""),
            "illness": illness,
        }


class PayoutForm(StepForm):
    method = forms.ChoiceField(
        label=_("Vart ska pengarna betalas?"),
        choices=[("account", _("Till mitt bankkonto")), ("bankgiro", _("Till ett bankgironummer"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj bankkonto eller bankgiro.")},
    )
    clearing_number = forms.CharField(
        label=_("Clearingnummer"),
        help_text=_("4 siffror (5 för vissa konton hos Swedbank). Finns i din internetbank."),
        required=False,
        max_length=10,
    )
    account_number = forms.CharField(label=_("Kontonummer"), required=False, max_length=20)
    bankgiro = forms.CharField(
        label=_("Bankgironummer"), help_text=_("7 eller 8 siffror."), required=False, max_length=12
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("clearing_number", "account_number", "bankgiro"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        principal = self.context.get("principal_name")
        if principal:
            self.fields["method"].choices = [
                ("account", _("Till %(name)ss bankkonto") % {"name": principal}),
                ("bankgiro", _("Till ett bankgironummer")),
            ]

    @classmethod
    def initial_from(cls, values, context):
        account = values.get("payout_account") or {}
        if "bankgiro" in account:
            return {"method": "bankgiro", "bankgiro": account["bankgiro"]}
        if account:
            return {"method": "account", **account}
        return {}

    def clean(self):

        data = super().clean()
        if data.get("method") == "account":
            error = check_account(data.get("clearing_number", ""), data.get("account_number", ""))
            if error:
                self.add_error(error[0], error[1])
            else:
                data["account"] = {
                    "clearing_number": "".join(c for c in data["clearing_number"] if c.isdigit()),
                    "account_number": "".join(c for c in data["account_number"] if c.isdigit()),
                }
        elif data.get("method") == "bankgiro":
            error = check_bankgiro(data.get("bankgiro", ""))
            if error:
                self.add_error("bankgiro", error)
            else:
                data["account"] = {"bankgiro": "".join(c for c in data["bankgiro"] if c.isdigit())}
        return data

    def values(self):
        return {"payout_account": self.cleaned_data.get("account")}
