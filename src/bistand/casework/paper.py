"""Paper and phone applications, registered by a caseworker so they run through the same pipeline.

Scanned pages are kept with the application. Where a scan is of the municipality's standard form, OCR
(Tesseract) suggests the values; the caseworker always confirms them before anything is registered.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bistand.casework import pipeline
from bistand.casework.models import PaperScan
from bistand.core.forms import DesignSystemForm, MoneyField
from bistand.identity.access import caseworker_required
from bistand.identity.models import Person
from bistand.identity.personnummer import PersonnummerError, parse
from bistand.intake.forms import month_choices
from bistand.intake.models import Application, MonthTaken
from bistand.intake.schema import ApplicationInvalid, validate_application, with_provenance
from bistand.portal.files import UploadRejected, check
from bistand.security.uploads import sanitise

# The standard form's labels, as OCR reads them; a value is the digits after the label on the same line.
OCR_FIELDS = {
    "personnummer": r"personnummer\D{0,20}(\d{6,8}[-+ ]?\d{4})",
    "rent": r"hyra\D{0,30}([\d ]{2,9})",
    "electricity": r"\bel\b\D{0,30}([\d ]{1,7})",
    "salary": r"l[öo]n\D{0,30}([\d ]{1,9})",
    "other_income": r"andra inkomster\D{0,30}([\d ]{1,9})",
}


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several pages at once (the browser's `multiple`)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files, each checked as a file; the pages themselves are checked again when stored."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


PAYOUT_METHODS = [
    ("account", _lazy("Till den sökandes bankkonto")),
    ("bankgiro", _lazy("Till ett bankgironummer")),
    ("none", _lazy("Har inget konto ännu – utbetalningen väntar tills ett konto finns")),
]


class PaperApplicationForm(DesignSystemForm):
    channel = forms.ChoiceField(
        label=_lazy("Hur kom ansökan in?"),
        choices=[("paper", _lazy("Pappersansökan")), ("phone", _lazy("Telefon"))],
    )
    personnummer = forms.CharField(label=_lazy("Den sökandes personnummer"), max_length=13)
    first_name = forms.CharField(label=_lazy("Förnamn"), max_length=100, required=False)
    last_name = forms.CharField(label=_lazy("Efternamn"), max_length=100, required=False)
    month = forms.ChoiceField(label=_lazy("Månad"))
    co_applicant = forms.CharField(
        label=_lazy("Medsökandes personnummer (frivilligt)"), max_length=13, required=False
    )
    co_applicant_signed = forms.BooleanField(
        label=_lazy("Medsökande har själv skrivit under ansökan"),
        required=False,
        help_text=_lazy("Ingen görs till medsökande, eller slås upp i registren, utan egen underskrift."),
    )
    children = forms.CharField(
        label=_lazy("Barnens personnummer, ett per rad (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rent = MoneyField(label=_lazy("Hyra (kronor)"))
    electricity = MoneyField(label=_lazy("Hushållsel (kronor)"), required=False)
    salary = MoneyField(label=_lazy("Lön efter skatt (kronor)"), required=False)
    other_income = MoneyField(label=_lazy("Andra inkomster (kronor)"), required=False)
    emergency = forms.BooleanField(label=_lazy("Nödbistånd: akut behov i dag"), required=False)
    nothing_changed = forms.BooleanField(
        label=_lazy("Den sökande uppger att inget har ändrats sedan förra månaden"), required=False
    )
    payout_method = forms.ChoiceField(
        label=_lazy("Vart ska pengarna betalas?"),
        choices=PAYOUT_METHODS,
        widget=forms.RadioSelect,
        error_messages={"required": _lazy("Välj bankkonto, bankgiro eller att konto saknas.")},
    )
    clearing_number = forms.CharField(label=_lazy("Clearingnummer"), max_length=10, required=False)
    account_number = forms.CharField(label=_lazy("Kontonummer"), max_length=20, required=False)
    bankgiro = forms.CharField(label=_lazy("Bankgironummer"), max_length=12, required=False)
    scans = MultipleFileField(
        label=_lazy("Skannade sidor (PDF, JPEG eller PNG) – välj alla sidor på en gång"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices()

    def _number(self, raw: str, field: str) -> str:
        try:
            return parse(raw).digits
        except PersonnummerError:
            raise forms.ValidationError(
                _("Det här är inte ett giltigt personnummer. Skriv 12 siffror.")
            ) from None

    def clean_personnummer(self) -> str:
        return self._number(self.cleaned_data["personnummer"], "personnummer")

    def clean_co_applicant(self) -> str | None:
        raw = self.cleaned_data["co_applicant"].strip()
        return self._number(raw, "co_applicant") if raw else None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("co_applicant") and not data.get("co_applicant_signed"):
            self.add_error(
                "co_applicant_signed",
                _(
                    "Medsökande måste ha skrivit under själv. Utan underskrift registrerar du ansökan utan medsökande."
                ),
            )
        return data

    def clean_children(self) -> list[str]:
        numbers = [line.strip() for line in self.cleaned_data["children"].splitlines() if line.strip()]
        return [self._number(n, "children") for n in numbers]

    def clean(self):
        from bistand.intake.accounts import check_account, check_bankgiro

        data = super().clean()
        method = data.get("payout_method")
        if method == "account":
            error = check_account(data.get("clearing_number", ""), data.get("account_number", ""))
            if error:
                self.add_error(error[0], error[1])
            else:
                data["payout_account"] = {
                    "clearing_number": "".join(c for c in data["clearing_number"] if c.isdigit()),
                    "account_number": "".join(c for c in data["account_number"] if c.isdigit()),
                }
        elif method == "bankgiro":
            error = check_bankgiro(data.get("bankgiro", ""))
            if error:
                self.add_error("bankgiro", error)
            else:
                data["payout_account"] = {"bankgiro": "".join(c for c in data["bankgiro"] if c.isdigit())}
        return data

    def answers(self) -> dict:
        data = self.cleaned_data
        costs = [{"type": "rent", "amount": str(data["rent"])}]
        if data.get("electricity"):
            costs.append({"type": "electricity", "amount": str(data["electricity"])})
        incomes = []
        if data.get("salary"):
            incomes.append({"person": "applicant", "type": "salary", "amount": str(data["salary"])})
        if data.get("other_income"):
            incomes.append({"person": "applicant", "type": "other", "amount": str(data["other_income"])})
        return {
            "month": data["month"],
            "co_applicant": data["co_applicant"],
            "children": [{"personnummer": n} for n in data["children"]],
            "costs": costs,
            "incomes": incomes,
            "emergency": data["emergency"],
            "nothing_changed": data["nothing_changed"],
            # None when the applicant has no account yet: the payment is held, and says so, until one is given.
            "payout_account": data.get("payout_account"),
        }


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr(path: Path, content_type: str) -> str:
    """The text Tesseract reads on a scanned page (the first page of a PDF)."""
    with tempfile.TemporaryDirectory() as folder:
        image = path
        if content_type == "pdf":
            subprocess.run(  # noqa: S603 - fixed command, our own temporary files
                ["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(path), f"{folder}/page"],  # noqa: S607
                check=True,
                capture_output=True,
                timeout=60,
            )
            image = next(Path(folder).glob("page*.png"))
        result = subprocess.run(  # noqa: S603
            ["tesseract", str(image), "-", "-l", "swe"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.stdout


def suggestions(text: str) -> dict[str, str]:
    """Values OCR found on the standard form, for the caseworker to confirm."""
    found = {}
    lowered = text.lower()
    for field, pattern in OCR_FIELDS.items():
        match = re.search(pattern, lowered)
        if match:
            value = match.group(1).strip()
            found[field] = value.replace(" ", "")
    return found


def _store_scans(files, user) -> list[PaperScan]:
    scans = []
    for upload in files:
        kind = check(upload)
        kind, upload = sanitise(upload, kind)  # re-encoded image / PDF without active content
        content = upload.read()
        scan = PaperScan(content_type=kind, sha256=hashlib.sha256(content).hexdigest(), uploaded_by=user)
        upload.seek(0)
        scan.file.save(f"scan-{scan.sha256[:12]}.{kind}", upload, save=False)
        scan.save()
        scans.append(scan)
    return scans


@caseworker_required
def register(request):
    """Register a paper or phone application; with scans, OCR may suggest the values first."""
    form = PaperApplicationForm(request.POST or None, request.FILES or None)
    scan_ids = [int(i) for i in request.POST.getlist("scan_ids") if i.isdigit()]
    ocr_text = ""
    if request.method == "POST" and request.POST.get("action") == "ocr":
        try:
            scans = _store_scans(request.FILES.getlist("scans"), request.user)
        except UploadRejected as rejected:
            messages.error(request, rejected.message)
            scans = []
        if scans and tesseract_available():
            ocr_text = ocr(Path(scans[0].file.path), scans[0].content_type)
            PaperScan.objects.filter(pk=scans[0].pk).update(ocr_text=ocr_text)
            found = suggestions(ocr_text)
            data = request.POST.copy()
            for key, value in found.items():
                if not data.get(key):
                    data[key] = value
            form = PaperApplicationForm(initial=data.dict())
            messages.success(
                request,
                _("Uppgifterna från blanketten är ifyllda. Kontrollera varje värde innan du registrerar."),
            )
        elif scans:
            messages.error(
                request, _("Textigenkänning finns inte i den här installationen. Fyll i uppgifterna själv.")
            )
        scan_ids += [s.pk for s in scans]
        return render(
            request, "casework/paper.html", {"form": form, "scan_ids": scan_ids, "ocr_text": ocr_text}
        )

    if request.method == "POST" and form.is_valid():
        try:
            values = validate_application(form.answers())
        except ApplicationInvalid as invalid:
            for error in invalid.errors:
                form.add_error(None, f"{error.field}: {error.message}")
        else:
            try:
                scans = _store_scans(request.FILES.getlist("scans"), request.user)
            except UploadRejected as rejected:
                form.add_error("scans", rejected.message)
            else:
                try:
                    application = _register(
                        request.user, form.cleaned_data, values, [*scan_ids, *(s.pk for s in scans)]
                    )
                except MonthTaken:
                    form.add_error(
                        "month",
                        _("Hushållet har redan en ansökan för månaden. Öppna ärendet i stället."),
                    )
                    return render(
                        request, "casework/paper.html", {"form": form, "scan_ids": scan_ids, "ocr_text": ""}
                    )
                messages.success(request, _("Ansökan är registrerad och handläggs nu som alla andra."))
                return redirect("casework:case", application.pipeline.case_id)
    return render(request, "casework/paper.html", {"form": form, "scan_ids": scan_ids, "ocr_text": ocr_text})


def _register(user, data: dict, values: dict, scan_ids: list[int]) -> Application:
    with transaction.atomic():
        person, _created = Person.objects.get_or_create(
            personnummer=data["personnummer"],
            defaults={
                "first_name": data["first_name"],
                "last_name": data["last_name"],
                "municipality": user.unit.municipality,
            },
        )
        co_applicant = None
        if values["co_applicant"]:
            co_applicant, _created = Person.objects.get_or_create(
                personnummer=values["co_applicant"],
                defaults={"first_name": "", "last_name": "", "municipality": user.unit.municipality},
            )
        month = datetime.date.fromisoformat(values["month"] + "-01")
        answers = with_provenance(values, source="caseworker")
        answers["registered_by"] = {"value": user.get_full_name() or user.username, "source": "caseworker"}
        application = Application.objects.create(
            applicant=person,
            municipality=user.unit.municipality,
            month=month,
            channel=data["channel"],
            answers=answers,
            co_applicant=co_applicant,
        )
        application.submit()  # MonthTaken when the household already applied: nothing is stored
        PaperScan.objects.filter(pk__in=scan_ids, application__isnull=True, uploaded_by=user).update(
            application=application
        )
        pipeline.begin(application)
    return application
