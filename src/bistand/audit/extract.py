"""The register extract (registerutdrag, GDPR Art. 15): everything Bistånd holds about one person.

A ZIP with `registerutdrag.json` (every record about the person, field by field, with the register
answers fetched about them and who read their data) and the files: decision letters, uploaded documents,
the scanned pages of paper applications (with what OCR read from them) and scanned powers of attorney.

Held back, and said so in the JSON's `withheld` section with the law: journal notes marked *restricted* and
orosanmälningar (reports of concern for a child). Their content is covered by secrecy (OSL 26 kap. 1 §; the
identity of whoever reported, 26 kap. 5 §), and data that may not be disclosed under OSL is outside the right
of access (dataskyddslagen 2018:218 5 kap. 1 §). They are counted, not shown: a person assesses the secrecy
before anything of them is given out — never the extract by itself.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from django.core import serializers
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from bistand.accesslog.models import AccessLogEntry
from bistand.cases.models import Case, TimelineEvent
from bistand.casework.models import ActivityPlan, ConcernReport, JournalNote, PaperScan, PipelineRun
from bistand.conversation.models import Appeal, DocumentRequest, Message, Upload
from bistand.decisions.models import Decision, Letter
from bistand.identity.models import Person, Unit, User
from bistand.intake.models import Application, PowerOfAttorney, Signature
from bistand.payments.models import PaymentOrder

FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "hex") and hasattr(value, "version"):  # UUID
        return str(value)
    return value


def _rows(queryset: QuerySet | list[Model], drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Each record as its fields (foreign keys as ids), without the fields in `drop`."""
    rows = []
    for item in serializers.serialize("python", list(queryset)):
        fields = {k: _plain(v) for k, v in item["fields"].items() if k not in drop}
        rows.append({"id": item["pk"], **fields})
    return rows


def collect(person: Person) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The extract's JSON content and its files (path in the ZIP -> bytes)."""
    cases = Case.objects.filter(
        Q(applicant=person) | Q(pipeline_runs__application__co_applicant=person)
    ).distinct()
    applications = Application.objects.filter(Q(applicant=person) | Q(co_applicant=person)).order_by("pk")
    decisions = Decision.objects.filter(case__in=cases).order_by("pk")
    # The letters addressed to this person (each party has their own).
    letters = Letter.objects.filter(decision__in=decisions, recipient=person).order_by("pk")
    notes = JournalNote.objects.filter(case__in=cases).order_by("pk")
    restricted = notes.filter(visibility=JournalNote.Visibility.RESTRICTED)
    uploads = Upload.objects.filter(request__case__in=cases).order_by("pk")
    scans = PaperScan.objects.filter(application__in=applications).order_by("pk")
    powers = PowerOfAttorney.objects.filter(Q(principal=person) | Q(agent=person)).order_by("pk")
    concerns = ConcernReport.objects.filter(case__in=cases)
    units = {u.pk: u.name for u in Unit.objects.all()}
    roles = dict(User.Role.choices)
    log = AccessLogEntry.objects.filter(
        Q(person_id=person.pk) | Q(case_id__in=list(cases.values_list("pk", flat=True)))
    )
    data: dict[str, Any] = {
        "format": "bistand-registerutdrag",
        "version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "legal_basis": "Dataskyddsförordningen (EU) 2016/679 art. 15",
        "person": _rows([person])[0],
        "accounts": _rows(
            User.objects.filter(person=person), drop=("password", "user_permissions", "groups")
        ),
        "powers_of_attorney": _rows(powers, drop=("document",)),
        "applications": _rows(applications),
        "signatures": _rows(Signature.objects.filter(application__in=applications)),
        "cases": _rows(cases),
        "timeline": _rows(TimelineEvent.objects.filter(case__in=cases).order_by("pk")),
        "register_answers": _rows(
            PipelineRun.objects.filter(case__in=cases).order_by("pk"),
            drop=("calculation", "calculation_input"),
        ),
        "decisions": _rows(decisions),
        "letters": _rows(letters, drop=("file",)),
        "journal_notes": _rows(notes.exclude(pk__in=restricted)),
        "journal_notes_withheld_for_secrecy_review": restricted.count(),
        "withheld": withheld(restricted.count(), concerns.count()),
        "activity_plans": _rows(ActivityPlan.objects.filter(Q(case__in=cases) | Q(person=person))),
        "document_requests": _rows(DocumentRequest.objects.filter(case__in=cases)),
        "uploads": _rows(uploads, drop=("file",)),
        # The paper application as scanned, and what OCR read from it; who scanned it is staff, not the person.
        "paper_scans": _rows(scans, drop=("file", "uploaded_by")),
        "messages": _rows(Message.objects.filter(case__in=cases)),
        "appeals": _rows(Appeal.objects.filter(Q(decision__in=decisions) | Q(lodged_by=person))),
        "payments": _rows(PaymentOrder.objects.filter(Q(case__in=cases) | Q(person=person)).order_by("pk")),
        # Art. 15(1)(c): who has been given access — by role and unit.
        "access_log": [
            {
                "at": e.at.isoformat(),
                "role": str(roles.get(e.role, e.role)),
                "unit": units.get(e.unit_id, ""),
                "action": e.action,
                "object": _shown_object(e.object_type),
                "case_id": e.case_id,
            }
            for e in log.exclude(role__in=["", User.Role.CITIZEN]).order_by("seq")
        ],
    }
    files: dict[str, bytes] = {}
    for letter in letters:
        files[f"brev/beslut-{letter.decision_id}-{letter.pk}-{letter.language}.pdf"] = _read(letter.file)
    for upload in uploads:
        if upload.file:
            files[f"underlag/{upload.reference}-{upload.file.name.rsplit('/', 1)[-1]}"] = _read(upload.file)
    for scan in scans:
        if scan.file:
            files[f"blanketter/skanning-{scan.pk}-{scan.file.name.rsplit('/', 1)[-1]}"] = _read(scan.file)
    for power in powers:
        if power.document:
            files[f"fullmakter/fullmakt-{power.pk}-{power.document.name.rsplit('/', 1)[-1]}"] = _read(
                power.document
            )
    return data, files


SECRECY_BASIS = [
    "Offentlighets- och sekretesslagen (2009:400) 26 kap. 1 § (uppgifter om enskildas personliga förhållanden "
    "inom socialtjänsten)",
    "Offentlighets- och sekretesslagen (2009:400) 26 kap. 5 § (identiteten på den som har anmält oro)",
    "Dataskyddslagen (2018:218) 5 kap. 1 § (rätten till tillgång gäller inte uppgifter som inte får lämnas ut)",
]


def withheld(restricted_notes: int, concern_reports: int) -> dict[str, Any]:
    """What the extract leaves out and why, so the person and the one who hands it over both know."""
    return {
        "restricted_journal_notes": restricted_notes,
        "concern_reports": concern_reports,
        "explanation": (
            "Anteckningar med begränsad synlighet och orosanmälningar (anmälan om oro för ett barn) finns inte "
            "med i utdraget: de omfattas av sekretess och undantas från rätten till tillgång. Antalet står här. "
            "Du kan begära att få ta del av dem; då prövar en handläggare sekretessen för varje uppgift, och "
            "du får ett överklagbart beslut om något inte lämnas ut. Vem som har anmält lämnas inte ut."
        ),
        "legal_basis": SECRECY_BASIS,
    }


def _shown_object(object_type: str) -> str:
    """What was read, as the extract names it. A read of an orosanmälan is named as a read of the case: the
    route's name alone would tell the household that a report exists (see `withheld`)."""
    return "casework.case" if "concern" in object_type else object_type


def _read(stored) -> bytes:
    try:
        with stored.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return b""


def build_zip(person: Person) -> bytes:
    """The extract as a ZIP file."""
    data, files = collect(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("registerutdrag.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for path, content in sorted(files.items()):
            archive.writestr(path, content)
    return buffer.getvalue()


def build_json(person: Person) -> bytes:
    """The extract's JSON alone (no files)."""
    data, _files = collect(person)
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
