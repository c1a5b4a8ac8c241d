"""The register extract (Art. 15) holds the paper application's scans, and says what it withholds and why.

Found by hand (issue 21): the extract left out the scanned pages of a paper application (and what OCR read
from them) and said nothing of orosanmälningar; the access log in it named the orosanmälan's own route.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from bistand.audit.extract import build_zip
from bistand.casework.models import PaperScan
from tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def _extract(person) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(build_zip(person))) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("registerutdrag.json")), files


def test_the_extract_holds_the_scanned_paper_application(world):
    scan = PaperScan.objects.create(
        application=world.extra["submitted"],
        file=ContentFile(samples.png(), name="blankett.png"),
        content_type="image/png",
        sha256="0" * 64,
        ocr_text="Personnummer 19800113-9297 Hyra 7800",
        uploaded_by=world.caseworker,
    )
    data, files = _extract(world.owner.person)
    rows = {row["id"]: row for row in data["paper_scans"]}
    assert rows[scan.pk]["ocr_text"] == "Personnummer 19800113-9297 Hyra 7800"
    assert "uploaded_by" not in rows[scan.pk]
    [name] = [n for n in files if n.startswith(f"blanketter/skanning-{scan.pk}-")]
    assert files[name] == samples.png()


def test_an_orosanmalan_is_withheld_counted_and_its_law_stated(client, world):
    # The caseworker opens the report: the access log records it.
    client.force_login(world.caseworker)
    client.get(reverse("casework:concern-document", args=[world.case.pk, world.ids["report_id"]]))
    data, files = _extract(world.owner.person)
    text = json.dumps(data, ensure_ascii=False) + "".join(n for n in files)
    withheld = data["withheld"]
    assert withheld["concern_reports"] == 1 and withheld["restricted_journal_notes"] == 1
    assert any("26 kap. 1 §" in basis for basis in withheld["legal_basis"])
    assert any("26 kap. 5 §" in basis for basis in withheld["legal_basis"])
    assert any("5 kap. 1 §" in basis for basis in withheld["legal_basis"])
    assert "orosanmälningar" in withheld["explanation"] and "begära" in withheld["explanation"]
    # Nothing of the report itself: not its text, its recipient, nor the route that opened it.
    assert "Oro för barnet" not in text and "Barn- och familjeenheten" not in text
    assert not any("concern" in entry["object"] for entry in data["access_log"])
    assert any(entry["object"] == "casework.case" for entry in data["access_log"])
