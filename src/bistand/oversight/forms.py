"""Forms: the public calculator, the dashboard filters, and the staff forms for reviews and settings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bistand.core.forms import DesignSystemForm, MoneyField
from bistand.oversight.models import AppealOutcome, Investigation, OversightSettings, RandomCheck
from bistand.oversight.periods import Period, add_months, month_label, month_start, parse_month
from bistand.rules import default_parameters
from bistand.rules.ages import SCHOOL_AGE, age_on

MAX_CHILDREN = 6
# The adults' age does not change the norm; the engine needs a birth date, so any adult's will do.
ADULT_BIRTH_DATE = "1970-01-01"


def _month_field(label, help_text=None, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=7,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "ÅÅÅÅ-MM"}
        ),
        error_messages={"required": _("Skriv en månad, till exempel 2026-03.")},
    )


def _clean_month(value: str) -> datetime.date:
    try:
        return parse_month(value)
    except ValueError:
        raise forms.ValidationError(
            _("Skriv månaden som år och månad med siffror, till exempel 2026-03."), code="invalid"
        ) from None


class CalculatorForm(DesignSystemForm):
    """A simple household, turned into the calculation contract's input. Nothing typed here is stored."""

    month = _month_field(
        _("Månad"), _("Vilken månad vill du räkna på? Skriv år och månad, till exempel 2026-03.")
    )
    adults = forms.ChoiceField(
        label=_("Vuxna i hushållet"),
        choices=[("single", _("En vuxen")), ("couple", _("Två vuxna som är gifta eller sambor"))],
        widget=forms.RadioSelect,
        initial="single",
        error_messages={"required": _("Välj om ni är en eller två vuxna.")},
    )
    rent = MoneyField(label=_("Hyra per månad (kr)"), required=False)
    electricity = MoneyField(label=_("Hushållsel per månad (kr)"), required=False)
    home_insurance = MoneyField(label=_("Hemförsäkring per månad (kr)"), required=False)
    salary = MoneyField(label=_("Lön efter skatt per månad, alla vuxna tillsammans (kr)"), required=False)
    child_allowance = MoneyField(label=_("Barnbidrag per månad (kr)"), required=False)
    housing_allowance = MoneyField(label=_("Bostadsbidrag per månad (kr)"), required=False)
    other_income = MoneyField(
        label=_("Andra inkomster per månad (kr)"),
        help_text=_("Till exempel sjukpenning, a-kassa, underhållsstöd eller pension, efter skatt."),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_CHILDREN + 1):
            self.fields[f"child{i}_birth"] = forms.CharField(
                label=_("Barn %(n)d: födelsedatum") % {"n": i},
                help_text=_("Ett barn som har fyllt 18 räknas med bara om hen går i gymnasiet."),
                required=False,
                max_length=10,
                widget=forms.TextInput(
                    attrs={
                        "class": "ds-input",
                        "autocomplete": "off",
                        "inputmode": "numeric",
                        "placeholder": "ÅÅÅÅ-MM-DD",
                    }
                ),
            )
            self.fields[f"child{i}_preschool_lunch"] = forms.BooleanField(
                label=_("Barn %(n)d äter lunch i förskolan på vardagar") % {"n": i},
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "ds-input"}),
            )
        # The rest of the form follows the children in the page; keep field order for the error summary.
        order = ["month", "adults"]
        for i in range(1, MAX_CHILDREN + 1):
            order += [f"child{i}_birth", f"child{i}_preschool_lunch"]
        self.order_fields(order)

    SHOWN_CHILDREN = 2  # more rows open on request, so the form stays short on a phone

    def child_fields(self) -> list[tuple[int, Any, Any]]:
        return [
            (i, self[f"child{i}_birth"], self[f"child{i}_preschool_lunch"])
            for i in range(1, MAX_CHILDREN + 1)
        ]

    def first_children(self) -> list[tuple[int, Any, Any]]:
        return self.child_fields()[: self.SHOWN_CHILDREN]

    def more_children(self) -> list[tuple[int, Any, Any]]:
        return self.child_fields()[self.SHOWN_CHILDREN :]

    def more_children_open(self) -> bool:
        return any(birth.value() or birth.errors or lunch.value() for _, birth, lunch in self.more_children())

    def money_fields(self) -> list[Any]:
        names = (
            "rent",
            "electricity",
            "home_insurance",
            "salary",
            "child_allowance",
            "housing_allowance",
            "other_income",
        )
        return [self[name] for name in names]

    def clean_month(self) -> datetime.date:
        month = _clean_month(self.cleaned_data["month"])
        params = default_parameters()
        if not params.covers(month):
            raise forms.ValidationError(
                _("Det finns ingen riksnorm för den månaden. Välj en månad från %(first)s till %(last)s.")
                % {"first": month_label(params.first_month), "last": f"{params.last_year}-12"},
                code="no_table",
            )
        return month

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for i in range(1, MAX_CHILDREN + 1):
            text = (data.get(f"child{i}_birth") or "").strip()
            if not text:
                if data.get(f"child{i}_preschool_lunch"):
                    self.add_error(
                        f"child{i}_birth", _("Skriv barnets födelsedatum, eller ta bort bocken för lunch.")
                    )
                continue
            try:
                data[f"child{i}_birth"] = datetime.date.fromisoformat(text.replace("/", "-"))
            except ValueError:
                self.add_error(
                    f"child{i}_birth",
                    _("Skriv födelsedatumet som år, månad och dag, till exempel 2019-04-23."),
                )
        return data

    def engine_input(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The contract's input, and which form field each engine field path belongs to."""
        data = self.cleaned_data
        members = [{"id": "vuxen", "role": "applicant", "birth_date": ADULT_BIRTH_DATE}]
        fields = {"month": "month"}
        if data["adults"] == "couple":
            members.append({"id": "vuxen2", "role": "co_applicant", "birth_date": ADULT_BIRTH_DATE})
        for i in range(1, MAX_CHILDREN + 1):
            birth = data.get(f"child{i}_birth")
            if not isinstance(birth, datetime.date):
                continue
            fields[f"members[{len(members)}].birth_date"] = f"child{i}_birth"
            fields[f"members[{len(members)}].lunch_at_home"] = f"child{i}_preschool_lunch"
            member = {"id": str(i), "role": "child", "birth_date": birth.isoformat()}
            if age_on(birth, data["month"]) >= SCHOOL_AGE:
                member["in_school"] = True  # the field's help text: only a child in upper-secondary school
            if data.get(f"child{i}_preschool_lunch"):
                member["lunch_at_home"] = False
            members.append(member)
        costs = [
            {"type": kind, "amount": data[kind]}
            for kind in ("rent", "electricity", "home_insurance")
            if data.get(kind)
        ]
        incomes = [
            {"member": "vuxen", "type": kind, "amount": data[name]}
            for name, kind in (
                ("salary", "salary"),
                ("child_allowance", "child_allowance"),
                ("housing_allowance", "housing_allowance"),
                ("other_income", "other"),
            )
            if data.get(name)
        ]
        for index, cost in enumerate(costs):
            fields[f"costs[{index}].amount"] = cost["type"]
        return (
            {"month": month_label(data["month"]), "members": members, "costs": costs, "incomes": incomes},
            fields,
        )


class FilterForm(DesignSystemForm):
    """The dashboard's filters: a unit (or all) and a period of whole months."""

    unit = forms.TypedChoiceField(label=_("Enhet"), required=False, coerce=int, empty_value=None)
    first = _month_field(_("Från månad"), required=False)
    last = _month_field(_("Till och med månad"), required=False)

    def __init__(self, *args, units=(), today: datetime.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Alla enheter")), *[(u.pk, u.name) for u in units]]
        self.today = today or datetime.date.today()

    def clean_first(self) -> datetime.date | None:
        value = self.cleaned_data.get("first")
        return _clean_month(value) if value else None

    def clean_last(self) -> datetime.date | None:
        value = self.cleaned_data.get("last")
        return _clean_month(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        last = data.get("last") or add_months(month_start(self.today), 1)
        first = data.get("first") or add_months(last, -11)
        if "first" in self.errors or "last" in self.errors:
            return data
        if first > last:
            self.add_error("last", _("Slutmånaden kan inte vara före startmånaden."))
        elif len(Period(first, last).months()) > 60:
            self.add_error("first", _("Välj högst fem år åt gången."))
        data["period"] = Period(first, last) if first <= last else None
        return data


class OutcomeForm(DesignSystemForm):
    """The caseworker's review of a random check."""

    outcome = forms.ChoiceField(
        label=_("Resultat av kontrollen"),
        choices=[c for c in RandomCheck.Outcome.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj resultatet av kontrollen.")},
    )
    note = forms.CharField(
        label=_("Anteckning"),
        help_text=_("Vid avvikelse: skriv vad som skiljer sig. Anteckningen blir underlag för utredningen."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    message = forms.CharField(
        label=_("Meddelande till den sökande"),
        help_text=_("Skickas till Mina sidor. Lämna tomt om du inte vill skicka något nu."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == RandomCheck.Outcome.DISCREPANCY and not (data.get("note") or "").strip():
            self.add_error(
                "note", _("Skriv vad som skiljer sig, så att utredningen vet vad den ska titta på.")
            )
        return data


class InvestigationForm(DesignSystemForm):
    conclusion = forms.ChoiceField(
        label=_("Slutsats"),
        choices=[c for c in Investigation.Conclusion.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en slutsats.")},
    )
    note = forms.CharField(
        label=_("Vad slutsatsen bygger på"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv vad slutsatsen bygger på.")},
    )


class BudgetForm(DesignSystemForm):
    month = _month_field(_("Månad"))
    unit = forms.TypedChoiceField(label=_("Enhet"), required=False, coerce=int, empty_value=None)
    amount = MoneyField(label=_("Budget (kr)"), max_value=Decimal("1000000000000"))

    def __init__(self, *args, units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Hela kommunen")), *[(u.pk, u.name) for u in units]]

    def clean_month(self) -> datetime.date:
        return _clean_month(self.cleaned_data["month"])


class SettingsForm(forms.ModelForm):
    class Meta:
        model = OversightSettings
        fields = [
            "checks_min",
            "checks_max",
            "months_back",
            "deadline_days",
            "fairness_threshold",
            "fairness_min_group",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"
            field.widget.attrs["inputmode"] = "numeric"
        self.fields["checks_max"].validators.append(self._at_most(50))
        self.fields["months_back"].validators.append(self._at_most(12))
        self.fields["fairness_threshold"].validators.append(self._at_most(100))

    @staticmethod
    def _at_most(limit: int):
        def check(value: int) -> None:
            if value > limit:
                raise forms.ValidationError(_("Högst %(limit)d.") % {"limit": limit})

        return check

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("checks_min"), data.get("checks_max")
        if low is not None and high is not None and low > high:
            self.add_error("checks_max", _("Största antalet kan inte vara mindre än minsta antalet."))
        if data.get("deadline_days") == 0:
            self.add_error("deadline_days", _("Ge minst en dag att skicka in underlagen."))
        return data


class AppealOutcomeForm(DesignSystemForm):
    outcome = forms.ChoiceField(
        label=_("Utfall"), choices=AppealOutcome.Outcome.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(
        label=_("Datum för beslut eller dom"),
        widget=forms.TextInput(attrs={"placeholder": "ÅÅÅÅ-MM-DD", "autocomplete": "off"}),
        error_messages={"invalid": _("Skriv datumet som år, månad och dag, till exempel 2026-04-23.")},
    )
