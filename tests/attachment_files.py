"""Files for the attachment tests, made in the test: a picture (PNG, JPEG) with a shape one can recognise,
a small PDF, and names that try to inject markup or terminal control."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

# A name with an escape sequence (window title), a bidi override, markup and a live action.
HOSTILE_NAMES = (
    "\x1b]0;pwned\x07title.png",
    "evil\u202egnp.exe",
    "[@click=app.quit]quit[/].png",
    "[bold red]loud[/].pdf",
)


def picture(fmt: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    """A white picture with a red square in the top-left quarter and a blue bar along the bottom."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, 0, w // 2 - 1, h // 2 - 1), fill=(255, 0, 0))
    draw.rectangle((0, h - h // 6, w - 1, h - 1), fill=(0, 0, 255))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def pdf() -> bytes:
    """A one-page PDF with a line of text (enough for its signature and a viewer)."""
    stream = b"BT /F1 24 Tf 72 720 Td (Drawing of the packing case) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
