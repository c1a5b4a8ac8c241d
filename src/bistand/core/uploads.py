"""Making an uploaded file safe to keep and to open: images re-encoded, PDFs without active content.

`portal.files.check` has already decided the kind from the first bytes and the size. Here the content is
rebuilt, so whatever rode along is left behind:

- JPEG and PNG are decoded and encoded again (Pillow): EXIF metadata — including a phone's GPS position,
  which would reveal where a protected person lives — and anything appended to the image (a polyglot) are
  gone. Images larger than `UPLOAD_MAX_PIXELS` are refused before they are decoded (decompression bombs).
- HEIC photos (iPhone) are decoded with pillow-heif and stored as JPEG, which every browser shows.
- PDFs are parsed (pypdf). One with JavaScript, launch actions, embedded files, rich media, XFA forms or
  form submission is refused with a message; one that cannot be parsed or is encrypted is refused too.
  The rest is written out again from its object graph without open or page actions, so bytes outside the
  document (another file glued on) are dropped.
"""

from __future__ import annotations

import io
import logging
import re
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from bistand.core.files import UploadRejected

logger = logging.getLogger(__name__)

# Keys whose presence anywhere in a PDF means active content or a payload.
PDF_FORBIDDEN_KEYS = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA", "/ImportData"}
)
# Action types (/S) that run something, send something or open something outside the document.
PDF_FORBIDDEN_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/GoToR",  # another file, by path — a network path makes the reader connect out
        "/Rendition",
        "/Movie",
        "/Sound",
        "/RichMediaExecute",
    }
)
# Actions that are harmless but run by themselves on opening or on page events: removed, not refused.
PDF_STRIPPED_KEYS = ("/OpenAction", "/AA")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_RAW_FORBIDDEN = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z0-9])")


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read(settings.UPLOAD_MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise UploadRejected(_("Filen är för stor."))
    return data


def sanitise(upload: UploadedFile, kind: str) -> tuple[str, ContentFile]:
    """The cleaned file and its (possibly new) kind; raises `UploadRejected` with a message to show."""
    data = _read_all(upload)
    if kind in {"jpeg", "png", "heic"}:
        kind, cleaned = _image(data, kind)
    elif kind == "pdf":
        cleaned = _pdf(data)
    else:
        raise UploadRejected(_("Vi kan bara ta emot PDF, JPEG, PNG eller HEIC."))
    name = (upload.name or "fil").rsplit(".", 1)[0] + "." + {"jpeg": "jpg"}.get(kind, kind)
    return kind, ContentFile(cleaned, name=name)


# Images -------------------------------------------------------------------------------------------------


def _unreadable_image() -> UploadRejected:
    return UploadRejected(
        _("Bilden gick inte att läsa. Ta en ny bild eller spara den som JPEG och försök igen.")
    )


def _image(data: bytes, kind: str) -> tuple[str, bytes]:
    if kind == "heic":
        try:
            from pillow_heif import register_heif_opener
        except ImportError:  # pragma: no cover - a dependency; without it HEIC cannot be checked
            raise UploadRejected(
                _("Vi kan inte ta emot HEIC-bilder just nu. Spara bilden som JPEG.")
            ) from None
        register_heif_opener()
    limit = settings.UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow warns (and only errors at twice the limit) about decompression bombs: refuse at once.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > limit or width <= 0 or height <= 0:
                raise UploadRejected(
                    _("Bilden har för hög upplösning. Ta en ny bild med lägre upplösning och försök igen.")
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(
            _("Bilden har för hög upplösning. Ta en ny bild med lägre upplösning och försök igen.")
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise _unreadable_image() from None
    out = io.BytesIO()
    # Pillow writes back what it read into `info` (a JPEG comment, say): keep none of it.
    image.info = {}
    if kind == "png":
        if image.mode not in {"1", "L", "LA", "RGB", "RGBA"}:
            image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
        image.save(out, format="PNG")  # no text chunks, no metadata
        return "png", out.getvalue()
    if image.mode not in {"L", "RGB"}:
        image = image.convert("RGB")
    image.save(out, format="JPEG", quality=90)  # no EXIF (GPS position), no comments
    return "jpeg", out.getvalue()


# PDF ----------------------------------------------------------------------------------------------------


def _active_pdf() -> UploadRejected:
    return UploadRejected(
        _(
            "PDF-filen innehåller program, formulär som skickar uppgifter eller inbäddade filer, och sådant tar vi inte emot. Skriv ut dokumentet till en ny PDF, eller ta en bild av det, och försök igen."
        )
    )


def _unreadable_pdf() -> UploadRejected:
    return UploadRejected(
        _(
            "PDF-filen gick inte att läsa, eller är skyddad med lösenord. Spara den som en ny PDF utan lösenord och försök igen."
        )
    )


def _raw_scan(data: bytes) -> None:
    """Names written with #xx escapes (/J#61vaScript) are decoded before looking for forbidden ones."""
    normalised = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    if _RAW_FORBIDDEN.search(normalised):
        raise _active_pdf()


def _walk(reader) -> None:
    """Visit every object reachable from the trailer; refuse active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > 500_000:
            raise _unreadable_pdf()
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in PDF_FORBIDDEN_KEYS:
                    raise _active_pdf()
                if name == "/S" and isinstance(value, NameObject) and value in PDF_FORBIDDEN_ACTIONS:
                    raise _active_pdf()
                if isinstance(value, IndirectObject | DictionaryObject | ArrayObject):
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(v for v in item if isinstance(v, IndirectObject | DictionaryObject | ArrayObject))


def _pdf(data: bytes) -> bytes:
    _raw_scan(data)
    try:
        from pypdf import PdfReader, PdfWriter
        from pypdf.errors import PdfReadError
        from pypdf.generic import NameObject
    except ImportError:  # pragma: no cover - a dependency; without it the raw scan is all there is
        logger.warning("pypdf is missing: PDFs are only scanned, not rewritten")
        return data
    pypdf_logger = logging.getLogger("pypdf")
    previous = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)  # warnings about sloppy files are not news
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _unreadable_pdf()
        if len(reader.pages) > settings.UPLOAD_MAX_PDF_PAGES:
            raise UploadRejected(
                _("PDF-filen har för många sidor. Skicka högst %(n)d sidor per fil.")
                % {"n": settings.UPLOAD_MAX_PDF_PAGES}
            )
        _walk(reader)
        writer = PdfWriter(clone_from=reader)
        for key in PDF_STRIPPED_KEYS:
            writer._root_object.pop(NameObject(key), None)
        for page in writer.pages:
            page.pop(NameObject("/AA"), None)
            # Annotations (links, form fields) carry their own additional actions, run on mouse-over.
            for annotation in page.get("/Annots") or []:
                annotation.get_object().pop(NameObject("/AA"), None)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except UploadRejected:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
    ):
        raise _unreadable_pdf() from None
    finally:
        pypdf_logger.setLevel(previous)
    return out.getvalue()
