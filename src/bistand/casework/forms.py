"""Forms of the caseworker's workspace."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bistand.casework.kommunicering import EXCEPTIONS
from bistand.casework.models import ActivityPlan, JournalNote
from bistand.core.forms import DesignSystemForm, MoneyField
from bistand.decisions.grounds import GROUNDS
from bistand.rules.ages import SCHOOL_AGE, age_on
from bistand.rules.model import COST_TYPES, INCOME_TYPES
from bistand.rules.reform import EXEMPTIONS

# Standard wording a caseworker starts from: the grounds a decision can rest on (decisions/grounds.py). The
# ground chosen is stored with the decision, which cites its section for the decision's month.
MOTIVATION_TEMPLATES = [
    ("", _("Ingen mall")),
    *((key, text) for key, (text, _reference) in GROUNDS.items() if key != "assessment"),
]
MESSAGE_TEMPLATES = [
    ("", _("Ingen mall")),
    ("received", _("Tack för ditt meddelande. Vi har tagit emot det och återkommer så snart vi kan.")),
    ("meeting", _("Vi vill gärna träffa dig. Ring oss eller svara här så bokar vi en tid som passar dig.")),
    (
        "documents",
        _("Vi behöver lite mer underlag. Du ser vad som behövs och när under Kompletteringar på Mina sidor."),
    ),
]


class EmergencyForm(DesignSystemForm):
    """Nödbistånd decided by hand: the acute need, its amount and the reasons (no riksnorm needed)."""

    need = forms.CharField(
        label=_("Akut behov"), max_length=200, help_text=_("Till exempel mat för en vecka.")
    )
    amount = MoneyField(label=_("Belopp (kronor)"), max_value=Decimal(50000))
    motivation = forms.CharField(
        label=_("Motivering"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


OUTCOMES = [
    ("grant", _("Bifall: hela det beräknade beloppet")),
    ("partial", _("Delvis bifall")),
    ("reject", _("Avslag")),
]


class DraftForm(DesignSystemForm):
    """The decision draft: outcome, any adjusted line with its reason, and the motivation."""

    outcome = forms.ChoiceField(
        label=_("Beslut"), choices=OUTCOMES, widget=forms.RadioSelect, initial="grant"
    )
    amount = MoneyField(label=_("Belopp vid delvis bifall (kronor)"), required=False)
    motivation_template = forms.ChoiceField(
        label=_("Mall för motivering"), choices=MOTIVATION_TEMPLATES, required=False
    )
    motivation = forms.CharField(
        label=_("Motivering (krävs vid delvis bifall och avslag)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    norm_raise = MoneyField(
        label=_("Högre norm av särskilda skäl (kronor)"), required=False, max_value=Decimal(20000)
    )
    norm_reason = forms.CharField(label=_("Skäl för högre norm"), required=False, max_length=1000)
    kommunicering_exception = forms.ChoiceField(
        label=_("Om beslutet går den sökande emot utan kommunicering: skälet enligt förvaltningslagen 25 §"),
        choices=[("", _("Kommunicering är gjord")), *EXCEPTIONS.items()],
        required=False,
    )

    def __init__(self, *args, household: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines = []
        for cost in household.get("costs", []):
            name = f"cost_{cost['type']}"
            if name in self.fields:
                continue
            label = COST_TYPES.get(cost["type"], (cost["type"],))[0]
            self.fields[name] = MoneyField(
                label=_("Skälig kostnad: %(label)s") % {"label": label}, initial=cost["amount"]
            )
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Skäl om du ändrar %(label)s") % {"label": label.lower()},
                required=False,
                max_length=1000,
            )
            self.lines.append(("cost", cost["type"], None, Decimal(str(cost["amount"])), name))
        for income in household.get("incomes", []):
            name = f"income_{income['member']}_{income['type']}"
            label = INCOME_TYPES.get(income["type"], (income["type"],))[0]
            self.fields[name] = MoneyField(
                label=_("Inkomst: %(label)s") % {"label": label}, initial=income["amount"]
            )
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Skäl om du ändrar %(label)s") % {"label": label.lower()},
                required=False,
                max_length=1000,
            )
            self.lines.append(
                ("income", income["type"], income["member"], Decimal(str(income["amount"])), name)
            )
        self.schools = []
        month = household.get("month", "")
        for member in household.get("members", []):
            if member.get("role") != "child" or "in_school" in member or not month:
                continue
            birth = datetime.date.fromisoformat(member["birth_date"])
            if age_on(birth, datetime.date.fromisoformat(f"{month}-01")) < SCHOOL_AGE:
                continue
            # An 18–20-year-old whose schooling the citizen did not know: the caseworker settles it.
            name = f"school_{member['id']}"
            self.fields[name] = forms.ChoiceField(
                label=_("Går ungdomen (född %(date)s) i gymnasiet?") % {"date": member["birth_date"]},
                choices=[("", "–"), ("yes", _("Ja, går i gymnasiet")), ("no", _("Nej: eget ärende"))],
                required=False,
            )
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Hur det är utrett"), required=False, max_length=1000
            )
            self.schools.append((member["id"], name))
        # The lines and school questions are added after the base class styled its fields: style them too.
        for field in self.fields.values():
            if "ds-input" not in field.widget.attrs.get("class", ""):
                css = "ds-input ds-select" if isinstance(field.widget, forms.Select) else "ds-input"
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()
        self.order_fields(
            [
                "outcome",
                "amount",
                "motivation_template",
                "motivation",
                *[f for f in self.fields if f.startswith("school_")],
                *[f for f in self.fields if f.startswith(("cost_", "income_"))],
                "norm_raise",
                "norm_reason",
                "kommunicering_exception",
            ]
        )

    def clean(self):
        data = super().clean()
        for _kind, _type, _member, original, name in self.lines:
            value = data.get(name)
            if value is not None and value != original and not data.get(f"{name}_reason", "").strip():
                self.add_error(
                    f"{name}_reason", _("Skriv varför beloppet ändras. Skälet blir en del av motiveringen.")
                )
        if not data.get("motivation", "").strip() and data.get("motivation_template"):
            data["motivation"] = str(dict(MOTIVATION_TEMPLATES)[data["motivation_template"]])
        if data.get("norm_raise") and not data.get("norm_reason", "").strip():
            self.add_error("norm_reason", _("Skriv de särskilda skälen för en högre norm."))
        for _member, name in self.schools:
            if data.get(name) and not data.get(f"{name}_reason", "").strip():
                self.add_error(
                    f"{name}_reason", _("Skriv hur det är utrett, till exempel intyg från skolan.")
                )
        return data

    def adjustments(self) -> list[dict]:
        data = self.cleaned_data
        found = []
        for kind, type_, member, original, name in self.lines:
            value = data.get(name)
            if value is None or value == original:
                continue
            item = {
                "kind": kind,
                "type": type_,
                "from": str(original),
                "to": str(value),
                "reason": data[f"{name}_reason"],
            }
            if member:
                item["member"] = member
            found.append(item)
        if data.get("norm_raise"):
            found.append({"kind": "norm", "amount": str(data["norm_raise"]), "reason": data["norm_reason"]})
        for member, name in self.schools:
            if data.get(name):
                found.append(
                    {"kind": "school", "member": member, "to": data[name], "reason": data[f"{name}_reason"]}
                )
        return found


class NoteForm(DesignSystemForm):
    def __init__(self, *args, **kwargs) -> None:
        # Its own ids: the activity plan form on the same page also has a "kind" field.
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)

    kind = forms.ChoiceField(label=_("Sort"), choices=JournalNote.Kind.choices, initial="note")
    visibility = forms.ChoiceField(
        label=_("Vem får läsa"), choices=JournalNote.Visibility.choices, initial="internal"
    )
    text = forms.CharField(
        label=_("Anteckning"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv något i anteckningen.")},
    )
    children_considered = forms.TypedChoiceField(
        label=_("Vid kontakt med barnfamilj: har barnens situation tagits upp?"),
        choices=[("", _("Inte aktuellt")), ("yes", _("Ja")), ("no", _("Nej"))],
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    next_contact_due = forms.DateField(
        label=_("Nästa kontakt senast (tomt: enligt kommunens rutin)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv ett datum som ÅÅÅÅ-MM-DD.")},
    )


# Requests a caseworker makes often, in words the citizen understands.
REQUEST_TEMPLATES = [
    ("", _("Ingen mall")),
    (
        "medical_certificate",
        _(
            "Läkarintyg: ett intyg från en läkare om att du på grund av sjukdom inte kan arbeta eller söka "
            "arbete, och för vilken period det gäller."
        ),
    ),
]


class DocumentRequestForm(DesignSystemForm):
    template = forms.ChoiceField(label=_("Mall"), choices=REQUEST_TEMPLATES, required=False)
    text = forms.CharField(
        label=_("Vad behöver den sökande skicka in?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(
        label=_("Senast"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv ett datum som ÅÅÅÅ-MM-DD."), "required": _("Välj ett datum.")},
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < datetime.date.today():
            raise forms.ValidationError(_("Datumet har redan passerat. Välj ett senare datum."))
        return deadline

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip():
            chosen = dict(REQUEST_TEMPLATES).get(data.get("template") or "")
            if data.get("template") and chosen:
                data["text"] = str(chosen)
            else:
                self.add_error("text", _("Skriv vad som behövs, med enkla ord."))
        return data


class KommuniceringForm(DesignSystemForm):
    """What was found that may go against the citizen, and the date to reply by (FL 25 §)."""

    found = forms.CharField(
        label=_("Vad har kommit fram som kan påverka beslutet?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv vad som har kommit fram, med enkla ord.")},
    )
    reply_by = forms.DateField(
        label=_("Svar senast"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv ett datum som ÅÅÅÅ-MM-DD."), "required": _("Välj ett datum.")},
    )


class MessageForm(DesignSystemForm):
    template = forms.ChoiceField(label=_("Mall"), choices=MESSAGE_TEMPLATES, required=False)
    body = forms.CharField(
        label=_("Meddelande till den sökande"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("body", "").strip():
            if data.get("template"):
                data["body"] = str(dict(MESSAGE_TEMPLATES)[data["template"]])
            else:
                self.add_error("body", _("Skriv ett meddelande eller välj en mall."))
        return data


class ActivityPlanForm(DesignSystemForm):
    person = forms.ChoiceField(label=_("Vuxen"))
    kind = forms.ChoiceField(label=_("Sort"), choices=ActivityPlan.Kind.choices)
    valid_from = forms.DateField(label=_("Gäller från"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Gäller till (frivilligt)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hours_per_week = forms.IntegerField(
        label=_("Timmar i veckan i planen"), required=False, min_value=1, max_value=60
    )
    job_search_hours = forms.IntegerField(
        label=_("Varav timmar för jobbsökande"), required=False, min_value=1, max_value=60
    )
    exemption_code = forms.ChoiceField(
        label=_("Skäl för undantag"),
        required=False,
        choices=[("", _("Inget undantag")), *((code, label) for code, (label, _en) in EXEMPTIONS.items())],
    )
    note = forms.CharField(
        label=_("Plan eller skäl för undantag"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, adults: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = adults

    def clean(self):
        data = super().clean()
        if data.get("kind") == ActivityPlan.Kind.PLAN:
            if not data.get("hours_per_week") or not data.get("job_search_hours"):
                self.add_error(
                    "hours_per_week",
                    _("En plan anger timmar i veckan och hur många av dem som är jobbsökande."),
                )
            elif data["job_search_hours"] > data["hours_per_week"]:
                self.add_error(
                    "job_search_hours", _("Tiden för jobbsökande kan inte vara mer än planens timmar.")
                )
        elif data.get("kind") == ActivityPlan.Kind.EXEMPTION and not data.get("exemption_code"):
            self.add_error("exemption_code", _("Välj skälet för undantaget."))
        return data


class CertificateForm(DesignSystemForm):
    """A received läkarintyg and its period."""

    person = forms.ChoiceField(label=_("Vuxen"))
    valid_from = forms.DateField(
        label=_("Intyget gäller från"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Intyget gäller till"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, adults: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = adults

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("Intyget kan inte sluta före det börjar."))
        return data


class ReturnForm(DesignSystemForm):
    reason = forms.CharField(
        label=_("Varför skickas utkastet tillbaka?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
