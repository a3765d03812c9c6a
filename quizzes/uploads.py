"""Checking handwritten answer pages before anything is stored.

Up to MAX_PAGES pages (an image is one page, a PDF counts its pages) in at most MAX_FILES
files of MAX_TOTAL_BYTES together. The type is read from the content (magic bytes, then
Pillow or pypdf must parse it), never from the name or the browser's content type. Images are
decoded (with a pixel cap against decompression bombs), turned upright by their EXIF
orientation and re-encoded, so no metadata (EXIF, GPS, comments) is kept; PDFs are rewritten
page by page without their document metadata. Anything refused raises UploadRefused with a
message for the learner, before a byte is stored.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from quizzes.services.mains import AnswerRefused
from quizzes.services.uploads import MAX_PAGES

MAX_FILES = 4
MAX_TOTAL_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is plenty for a page of handwriting
MAX_SIDE = 3000  # stored images are scaled down to this many pixels on the longer side
JPEG_QUALITY = 85

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"


class UploadRefused(AnswerRefused):
    """An upload that cannot be stored; nothing of it was."""

    status = 400


@dataclass(frozen=True)
class CleanPage:
    """A checked file, ready to store: its kind ("jpeg", "png", "pdf"), bytes and pages."""

    kind: str
    content: bytes
    page_count: int
    name: str  # the learner's file name, only for messages


def sniff(head: bytes) -> str | None:
    """The kind the first bytes say the file is, or None."""
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head.startswith(PDF_MAGIC):
        return "pdf"
    return None


def _image(data: bytes, kind: str, name: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise UploadRefused(
                        f"{name}: the image is {probe.width}×{probe.height} pixels, more than "
                        f"a page photo needs (at most {MAX_PIXELS // 1_000_000} megapixels)."
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                if (img.format or "").lower() != kind:
                    raise UploadRefused(f"{name}: the file is not a valid {kind.upper()} image.")
                img.load()
                img = ImageOps.exif_transpose(img)
                img.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                if kind == "jpeg":
                    img.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
                else:
                    mode = "RGBA" if img.mode in ("RGBA", "LA", "P") else "RGB"
                    img.convert(mode).save(out, "PNG", optimize=True)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(
            f"{name}: the image is too large to open safely (at most "
            f"{MAX_PIXELS // 1_000_000} megapixels)."
        ) from None
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UploadRefused(f"{name}: the image is damaged or not a real {kind.upper()}.") from None


def _pdf(data: bytes, name: str, pages_left: int) -> tuple[bytes, int]:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRefused(f"{name}: the PDF is password-protected; upload it unlocked.")
        count = len(reader.pages)
        if count == 0:
            raise UploadRefused(f"{name}: the PDF has no pages.")
        if count > pages_left:
            raise UploadRefused(
                f"{name}: the PDF has {count} pages; an answer can have at most {MAX_PAGES} "
                f"pages in all ({pages_left} left)."
            )
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue(), count
    except UploadRefused:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError):
        raise UploadRefused(f"{name}: the PDF is damaged and cannot be read.") from None


def check_upload(files, *, pages_already: int = 0, bytes_already: int = 0) -> list[CleanPage]:
    """Check uploaded files (Django UploadedFile objects) for one answer that already has
    `pages_already` pages of `bytes_already` bytes; the cleaned pages, or UploadRefused."""
    files = list(files)
    if len(files) > MAX_FILES:
        raise UploadRefused(f"Upload at most {MAX_FILES} files for one answer.")
    total = bytes_already + sum(f.size or 0 for f in files)
    if total > MAX_TOTAL_BYTES:
        raise UploadRefused(
            f"The files come to {total / 1024 / 1024:.1f} MB; an answer's pages can be at most "
            f"{MAX_TOTAL_BYTES // 1024 // 1024} MB together. Photograph at a lower resolution "
            "or scan in black and white."
        )
    pages, count = [], pages_already
    for f in files:
        name = (f.name or "file")[-80:]
        if not f.size:
            raise UploadRefused(f"{name}: the file is empty.")
        f.seek(0)
        data = f.read(MAX_TOTAL_BYTES + 1)
        if len(data) > MAX_TOTAL_BYTES:  # the size the client declared was wrong
            raise UploadRefused(f"{name}: the file is larger than {MAX_TOTAL_BYTES} bytes.")
        kind = sniff(data[:16])
        if kind is None:
            raise UploadRefused(
                f"{name}: not a JPEG, PNG or PDF file (checked from its content, not its name)."
            )
        if kind == "pdf":
            content, n = _pdf(data, name, MAX_PAGES - count)
        else:
            if count + 1 > MAX_PAGES:
                raise UploadRefused(f"An answer can have at most {MAX_PAGES} pages.")
            content, n = _image(data, kind, name), 1
        count += n
        pages.append(CleanPage(kind, content, n, name))
    return pages
