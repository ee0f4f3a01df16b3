"""What kind of document an upload is, told by its bytes and never by its name or the browser's word.

A lead's attachments may be PDFs, PNG/JPEG/WebP images, or Word, Excel and PowerPoint
files in their current (OOXML) formats. An OOXML file is a ZIP whose `[Content_Types].xml`
names the main part of exactly one of those three kinds, and that part is in the archive;
the macro-enabled variants (.docm, .xlsm, .pptm) name other content types and are refused.
Legacy binary Office files (.doc, .xls: OLE2 compound files) are refused too: one magic
number covers every OLE2 file, macros included, and telling a document from a spreadsheet
needs a parser we do not run on strangers' files; saving as .docx or .xlsx is one click.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

PDF_HEADER = b"%PDF-"
PDF_TRAILER = b"%%EOF"
PDF_TRAILER_WINDOW = 1024  # writers may append a few bytes (whitespace, a newline) after %%EOF
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 256 * 1024  # a real one is a few kB; a larger one is not read (zip bombs)
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class FileKind:
    """A kind of file the portal keeps: the extension it is stored and sent under, and its media type."""

    extension: str
    mimetype: str


PDF = FileKind("pdf", "application/pdf")
PNG = FileKind("png", "image/png")
JPEG = FileKind("jpg", "image/jpeg")
WEBP = FileKind("webp", "image/webp")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")

KINDS: tuple[FileKind, ...] = (PDF, PNG, JPEG, WEBP, DOCX, XLSX, PPTX)
BY_EXTENSION: dict[str, FileKind] = {kind.extension: kind for kind in KINDS}

# The content type `[Content_Types].xml` gives the main part of each OOXML kind.
_OOXML_MAIN_PARTS: dict[str, FileKind] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}


def looks_like_pdf(content: bytes) -> bool:
    """A PDF header at the start and the end-of-file marker near the end."""
    return content.startswith(PDF_HEADER) and PDF_TRAILER in content[-PDF_TRAILER_WINDOW:]


def _image_kind(content: bytes) -> FileKind | None:
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    return None


def _ooxml_kind(content: bytes) -> FileKind | None:
    """The one Office kind whose main part `[Content_Types].xml` names and the archive holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            info = archive.getinfo(CONTENT_TYPES_PART)
            if info.file_size > CONTENT_TYPES_MAX_BYTES:
                return None
            types = archive.read(info)
            if b"<!DOCTYPE" in types or b"<!ENTITY" in types:
                return None  # Office never declares entities; refusing them leaves no entity attack to parse
            root = ElementTree.fromstring(types)  # noqa: S314 (bounded in size, no DTD: see the two checks above)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, RuntimeError, NotImplementedError, OSError):
        return None  # not a ZIP, no content types, unreadable XML, encrypted or an unknown compression
    found = {
        _OOXML_MAIN_PARTS[override.get("ContentType", "")]
        for override in root.iter(f"{_CONTENT_TYPES_NS}Override")
        if override.get("ContentType") in _OOXML_MAIN_PARTS and override.get("PartName", "").lstrip("/") in names
    }
    return found.pop() if len(found) == 1 else None


def sniff(content: bytes) -> FileKind | None:
    """The kind of `content` among KINDS, or None when it is none of them (or pretends to be two)."""
    if looks_like_pdf(content):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        return _ooxml_kind(content)
    return _image_kind(content)
