"""Paper and phone applications, registered by a caseworker so they run through the same pipeline.

Scanned pages are kept with the application (scans of attempts never registered are removed after a day).
Where a scan is of the municipality's standard form (`standard_form`), OCR (Tesseract) suggests the values,
each with its confidence; the caseworker confirms every one before anything is registered. The person is
checked against the population register: a typed name that is not the registered one stops registration.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bistand.audit import chain
from bistand.cases.scope import visible_case
from bistand.casework import pipeline, standard_form
from bistand.casework.models import PaperScan
from bistand.core.files import UploadRejected, check
from bistand.core.forms import DesignSystemForm, MoneyField
from bistand.core.uploads import sanitise
from bistand.identity.access import caseworker_required
from bistand.identity.models import Person
from bistand.identity.personnummer import PersonnummerError, parse
from bistand.intake.accounts import check_account, check_bankgiro
from bistand.intake.forms import month_choices
from bistand.intake.models import Application, MonthTaken
from bistand.intake.payout import COUNTER_KINDS
from bistand.intake.prefill import gateway_factory
from bistand.intake.schema import ApplicationInvalid, validate_application, with_provenance
from bistand.payments.models import PayoutSchedule
from bistand.registers import RegisterError, Source


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
    ("account", gettext_lazy("Till den sökandes bankkonto")),
    ("bankgiro", gettext_lazy("Till ett bankgironummer")),
    ("none", gettext_lazy("Har inget konto ännu – utbetalningen väntar tills ett konto finns")),
]


def counter_routes(municipality) -> list[tuple[str, str]]:
    """The payout methods without a bank account that the municipality offers, as form choices."""

    schedule = PayoutSchedule.objects.filter(municipality=municipality).first() if municipality else None
    if schedule is None:
        return []
    return schedule.counter_choices()


class PaperApplicationForm(DesignSystemForm):
    channel = forms.ChoiceField(
        label=gettext_lazy("Hur kom ansökan in?"),
        choices=[("paper", gettext_lazy("Pappersansökan")), ("phone", gettext_lazy("Telefon"))],
    )
    personnummer = forms.CharField(label=gettext_lazy("Den sökandes personnummer"), max_length=13)
    first_name = forms.CharField(label=gettext_lazy("Förnamn"), max_length=100, required=False)
    last_name = forms.CharField(label=gettext_lazy("Efternamn"), max_length=100, required=False)
    month = forms.ChoiceField(label=gettext_lazy("Månad"))
    co_applicant = forms.CharField(
        label=gettext_lazy("Medsökandes personnummer (frivilligt)"), max_length=13, required=False
    )
    co_applicant_signed = forms.BooleanField(
        label=gettext_lazy("Medsökande har själv skrivit under ansökan"),
        required=False,
        help_text=gettext_lazy(
            "Ingen görs till medsökande, eller slås upp i registren, utan egen underskrift."
        ),
    )
    children = forms.CharField(
        label=gettext_lazy("Barnens personnummer, ett per rad (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rent = MoneyField(label=gettext_lazy("Hyra (kronor)"))
    electricity = MoneyField(label=gettext_lazy("Hushållsel (kronor)"), required=False)
    salary = MoneyField(label=gettext_lazy("Lön efter skatt (kronor)"), required=False)
    other_income = MoneyField(label=gettext_lazy("Andra inkomster (kronor)"), required=False)
    emergency = forms.BooleanField(label=gettext_lazy("Nödbistånd: akut behov i dag"), required=False)
    nothing_changed = forms.BooleanField(
        label=gettext_lazy("Den sökande uppger att inget har ändrats sedan förra månaden"), required=False
    )
    payout_method = forms.ChoiceField(
        label=gettext_lazy("Vart ska pengarna betalas?"),
        choices=PAYOUT_METHODS,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Välj bankkonto, bankgiro eller att konto saknas.")},
    )
    clearing_number = forms.CharField(label=gettext_lazy("Clearingnummer"), max_length=10, required=False)
    account_number = forms.CharField(label=gettext_lazy("Kontonummer"), max_length=20, required=False)
    bankgiro = forms.CharField(label=gettext_lazy("Bankgironummer"), max_length=12, required=False)
    scans = MultipleFileField(
        label=gettext_lazy("Skannade sidor (PDF, JPEG eller PNG) – välj alla sidor på en gång"),
        required=False,
    )

    def __init__(self, *args, readings: dict | None = None, municipality=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices()
        # Cash or a card at the counter, where the municipality offers it (payments/counter.py).
        routes = counter_routes(municipality)
        self.fields["payout_method"].choices = [*PAYOUT_METHODS, *routes]
        # Every value OCR read needs the caseworker's tick: it is a suggestion, never done.
        self.readings = readings or {}
        order = []
        for name in list(self.fields):
            order.append(name)
            if name in self.readings:
                confidence = self.readings[name]
                self.fields[name].help_text = (
                    _("Läst av textigenkänning, säkerhet %(pct)d %%. Jämför med blanketten.")
                    % {"pct": confidence}
                    if confidence is not None
                    else _("Läst av textigenkänning. Jämför med blanketten.")
                )
                self.fields[f"confirm_{name}"] = forms.BooleanField(
                    label=_("Jag har jämfört „%(label)s“ med blanketten")
                    % {"label": self.fields[name].label},
                    error_messages={
                        "required": _("Bekräfta värdet från blanketten, eller rätta det och bekräfta.")
                    },
                )
                order.append(f"confirm_{name}")
        self.order_fields(order)

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

    def clean_children(self) -> list[str]:
        numbers = [line.strip() for line in self.cleaned_data["children"].splitlines() if line.strip()]
        return [self._number(n, "children") for n in numbers]

    def clean(self) -> dict:

        data = super().clean()
        if data.get("co_applicant") and not data.get("co_applicant_signed"):
            self.add_error(
                "co_applicant_signed",
                _(
                    "Medsökande måste ha skrivit under själv. Utan underskrift registrerar du ansökan utan medsökande."
                ),
            )
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
        elif method in COUNTER_KINDS:
            data["payout_account"] = {"route": method}
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


logger = logging.getLogger(__name__)


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


MAX_OCR_PAGES = 4


def ocr(path: Path, content_type: str) -> tuple[str, list[list[standard_form.Word]]]:
    """The text Tesseract reads on a scan (up to four pages of a PDF), and its lines with word confidences."""
    with tempfile.TemporaryDirectory() as folder:
        images = [path]
        if content_type == "pdf":
            pages = ["-f", "1", "-l", str(MAX_OCR_PAGES)]
            subprocess.run(  # noqa: S603 - fixed command, our own temporary files
                ["pdftoppm", "-png", "-r", "200", *pages, str(path), f"{folder}/page"],  # noqa: S607
                check=True,
                capture_output=True,
                timeout=120,
            )
            images = sorted(Path(folder).glob("page*.png"))
        lines: list[list[standard_form.Word]] = []
        for image in images:
            result = subprocess.run(  # noqa: S603
                ["tesseract", str(image), "-", "-l", "swe", "tsv"],  # noqa: S607
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
            lines += standard_form.lines_from_tsv(result.stdout)
    return "\n".join(" ".join(w.text for w in line) for line in lines), lines


def suggestions(text: str) -> dict[str, str]:
    """Values found on the standard form in plain text (no confidence), for the caseworker to confirm."""
    return {name: r.value for name, r in standard_form.read(standard_form.lines_from_text(text)).items()}


def form_values(readings: dict[str, standard_form.Reading]) -> tuple[dict[str, str], dict[str, float | None]]:
    """OCR readings as the registration form's values, and the confidence of each form field filled."""
    values: dict[str, str] = {}
    confidence: dict[str, float | None] = {}
    for name, reading in readings.items():
        if name in standard_form.CHILD_FIELDS:
            continue
        if name == "emergency":
            values[name], confidence[name] = ("on" if reading.value == "ja" else ""), reading.confidence
            continue
        values[name], confidence[name] = reading.value, reading.confidence
    children = [readings[c] for c in standard_form.CHILD_FIELDS if c in readings]
    if children:
        values["children"] = "\n".join(c.value for c in children)
        known = [c.confidence for c in children if c.confidence is not None]
        confidence["children"] = min(known) if known else None
    if "clearing_number" in values and "account_number" in values:
        values["payout_method"] = "account"
    if values.get("month") not in {value for value, _label in month_choices()}:
        values.pop("month", None)
        confidence.pop("month", None)
    return values, confidence


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


def _readings_from_post(post) -> dict[str, float | None]:
    """The fields OCR filled on an earlier round, carried in the form so each still needs its tick."""
    try:
        raw = json.loads(post.get("ocr_readings") or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    fields = set(PaperApplicationForm.base_fields)
    return {str(k): (float(v) if isinstance(v, int | float) else None) for k, v in raw.items() if k in fields}


def _render(request, form, scan_ids, ocr_text=""):
    return render(
        request,
        "casework/paper.html",
        {
            "form": form,
            "scan_ids": scan_ids,
            "ocr_text": ocr_text,
            "ocr_readings": json.dumps(form.readings),
            "scans": PaperScan.objects.filter(pk__in=scan_ids, uploaded_by=request.user),
        },
    )


@caseworker_required
def register(request):
    """Register a paper or phone application; with scans, OCR may suggest the values first."""
    readings = _readings_from_post(request.POST) if request.method == "POST" else {}
    form = PaperApplicationForm(
        request.POST or None,
        request.FILES or None,
        readings=readings,
        municipality=request.user.unit.municipality,
    )
    scan_ids = [int(i) for i in request.POST.getlist("scan_ids") if i.isdigit()]
    if request.method == "POST" and request.POST.get("action") == "ocr":
        return _read_scans(request, scan_ids, readings)

    if request.method == "POST" and form.is_valid():
        _check_against_population_register(request, form)
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
                    return _render(request, form, scan_ids)
                messages.success(request, _("Ansökan är registrerad och handläggs nu som alla andra."))
                return redirect("casework:case", application.pipeline.case_id)
    return _render(request, form, scan_ids)


def _read_scans(request, scan_ids: list[int], readings: dict):
    """Store the chosen pages, read them with OCR, and show the values for the caseworker to confirm."""
    form = PaperApplicationForm(
        initial=request.POST.dict(), readings=readings, municipality=request.user.unit.municipality
    )
    try:
        scans = _store_scans(request.FILES.getlist("scans"), request.user)
    except UploadRejected as rejected:
        messages.error(request, rejected.message)
        scans = []
    scan_ids = [*scan_ids, *(s.pk for s in scans)]
    if not scans:
        return _render(request, form, scan_ids)
    if not tesseract_available():
        messages.error(
            request, _("Textigenkänning finns inte i den här installationen. Fyll i uppgifterna själv.")
        )
        return _render(request, form, scan_ids)
    texts, lines = [], []
    for scan in scans:
        text, scan_lines = ocr(Path(scan.file.path), scan.content_type)
        PaperScan.objects.filter(pk=scan.pk).update(ocr_text=text)
        texts.append(text)
        lines += scan_lines
    values, confidence = form_values(standard_form.read(lines))
    typed = {k: v for k, v in request.POST.dict().items() if v and k not in {"action", "csrfmiddlewaretoken"}}
    found = {k: v for k, v in values.items() if k not in typed}
    form = PaperApplicationForm(
        initial={**values, **typed},
        readings={**readings, **{k: confidence[k] for k in found}},
        municipality=request.user.unit.municipality,
    )
    if found:
        messages.warning(
            request,
            _(
                "Textigenkänningen föreslår %(n)d uppgifter. Inget är klart: jämför varje värde med "
                "blanketten och bekräfta det."
            )
            % {"n": len(found)},
        )
    else:
        messages.warning(request, _("Textigenkänningen hittade inga uppgifter. Fyll i dem själv."))
    return _render(request, form, scan_ids, "\n\n".join(texts))


def _check_against_population_register(request, form: PaperApplicationForm) -> None:
    """Stop when the typed name is not the one the population register has for the number.

    A name left empty is taken from the register. When the register cannot be reached the caseworker is
    told, and the robot checks the person again when it fetches the facts.
    """
    data = form.cleaned_data
    try:
        with gateway_factory() as gateway:
            answer = gateway.lookup(data["personnummer"], data["month"], sources=(Source.NAVET,))
        navet = answer[Source.NAVET]
        facts = navet.facts
    except (RegisterError, OSError):
        facts = None
    if facts is None:
        messages.warning(
            request,
            _("Folkbokföringen kunde inte nås. Kontrollera namn och personnummer mot legitimationen."),
        )
        return
    typed = [data.get("first_name", "").strip(), data.get("last_name", "").strip()]
    if not any(typed):
        data["first_name"], data["last_name"] = facts.given_name, facts.surname
        return
    registered = f"{facts.given_name} {facts.surname}".casefold().split()
    if any(part and part.casefold() not in registered for part in " ".join(typed).split()):
        form.add_error(
            "personnummer",
            _(
                "Namnet stämmer inte med folkbokföringen för det här personnumret. Kontrollera personnumret "
                "och namnet mot legitimationen eller blanketten innan du registrerar."
            ),
        )


def remove_abandoned_scans(older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete scans (and their files) read by OCR but never registered as an application. Returns the count."""
    from django.utils import timezone

    abandoned = PaperScan.objects.filter(
        application__isnull=True, uploaded_at__lt=timezone.now() - older_than
    )
    count = 0
    for scan in abandoned:
        scan.file.delete(save=False)
        scan.delete()
        count += 1
    if count:
        logger.info("abandoned scans removed", extra={"count": count})
    return count


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


@caseworker_required
def blank_form(request):
    """The standard form to print, in Swedish, English or Arabic (`?lang=`); it holds no personal data."""
    from django.conf import settings
    from django.http import HttpResponse

    lang = request.GET.get("lang", "sv")
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    pdf = standard_form.render_pdf(lang, request.user.unit.municipality.name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ansokan-ekonomiskt-bistand-{lang}.pdf"'
    return response


@caseworker_required
def open_scan(request, scan_id: int):
    """A scanned page, for staff of the case's unit; each opening is in the access log."""
    from django.http import FileResponse
    from django.shortcuts import get_object_or_404

    scan = get_object_or_404(PaperScan.objects.select_related("application__pipeline"), pk=scan_id)
    case_id = scan.application.pipeline.case_id if scan.application_id else None
    own = scan.uploaded_by_id == request.user.pk
    if case_id is None and not own:
        raise Http404
    if case_id is not None:
        visible_case(request.user, case_id)  # 404 unless this member of staff may open the case
    chain.append(
        user=request.user,
        action="download",
        object_type="paper_scan",
        object_id=scan.pk,
        case_id=case_id,
        person_id=scan.application.applicant_id if scan.application_id else None,
        purpose="skannad ansökan öppnad",
    )
    return FileResponse(
        scan.file.open("rb"), content_type=_SCAN_TYPES.get(scan.content_type, "application/octet-stream")
    )


_SCAN_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png", "heic": "image/heic"}
