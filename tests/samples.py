"""Small real files for upload tests: content is checked, so magic bytes alone no longer pass."""

from __future__ import annotations

import io

from PIL import Image


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg(size: tuple[int, int] = (8, 8), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (30, 200, 30))
    image.save(out, format="JPEG", **({"exif": exif} if exif else {}))
    return out.getvalue()


def heic(size: tuple[int, int] = (8, 8)) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(out, format="HEIF")
    return out.getvalue()


def pdf(extra_catalog: str = "", extra_objects: str = "", tail: bytes = b"", extra_page: str = "") -> bytes:
    """A one-page PDF written by hand (so tests can add what a hostile file would carry)."""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {extra_catalog} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] {extra_page} >>",
    ]
    if extra_objects:
        objects.append(extra_objects)
    body = b"%PDF-1.7\n"
    offsets = []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{text}\nendobj\n".encode()
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body + tail


def pdf_with_object_stream(hidden: str) -> bytes:
    """A PDF 1.5 whose catalog's open action is object 4, stored compressed inside an object stream (5) and
    found through a cross-reference stream (6): a byte scan cannot see what object 4 says."""
    import struct
    import zlib

    header = b"4 0 "
    packed = zlib.compress(header + hidden.encode())
    plain = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    body = b"%PDF-1.5\n"
    offsets = {}
    for number, text in enumerate(plain, start=1):
        offsets[number] = len(body)
        body += f"{number} 0 obj\n".encode() + text + b"\nendobj\n"
    offsets[5] = len(body)
    body += (
        f"5 0 obj\n<< /Type /ObjStm /N 1 /First {len(header)} /Filter /FlateDecode /Length {len(packed)} >>\n".encode()
        + b"stream\n"
        + packed
        + b"\nendstream\nendobj\n"
    )
    offsets[6] = len(body)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3)]
    rows += [
        struct.pack(">BIH", 2, 5, 0),
        struct.pack(">BIH", 1, offsets[5], 0),
        struct.pack(">BIH", 1, offsets[6], 0),
    ]
    table = b"".join(rows)
    body += (
        f"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length {len(table)} >>\nstream\n".encode()
        + table
        + b"\nendstream\nendobj\n"
    )
    return body + f"startxref\n{offsets[6]}\n%%EOF\n".encode()
