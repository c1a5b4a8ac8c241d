"""Checking an uploaded file by its content: only PDF, JPEG, PNG and HEIC, and not too large.

The file name and the browser's stated type are never trusted; the first bytes decide. Each refusal says
what the citizen can do instead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# ISO base media file brands used by HEIC/HEIF photos (iPhone camera pictures).
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "heic": "heic"}


class UploadRejected(ValueError):
    """The file cannot be accepted; ``message`` tells the citizen what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff(head: bytes) -> str | None:
    """The kind of file the first bytes show, or None when it is none of the accepted kinds."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS and b"avif" not in head[:64]:
        return "heic"
    return None


def max_megabytes() -> int:
    return settings.UPLOAD_MAX_BYTES // (1024 * 1024)


def check(upload: UploadedFile) -> str:
    """Return the file's kind, or raise `UploadRejected` with a message saying what to do."""
    if upload.size == 0:
        raise UploadRejected(_("Filen är tom. Välj filen igen, eller ta en ny bild."))
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise UploadRejected(
            _(
                "Filen är för stor. Den får vara högst %(mb)d MB. Ta en bild med lägre upplösning eller dela upp dokumentet."
            )
            % {"mb": max_megabytes()}
        )
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise UploadRejected(
            _(
                "Vi kan bara ta emot PDF, JPEG, PNG eller HEIC (bilder från mobilen). Spara filen i något av de formaten och försök igen."
            )
        )
    return kind
