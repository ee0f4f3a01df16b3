"""A lead's attachment is recognised by its bytes: PDFs, three image formats, three Office formats."""

from __future__ import annotations

import pytest

from portal.domain import file_kinds
from portal.domain.file_kinds import sniff
from tests.fixtures.documents import JPEG, OLE2_DOC, PDF, PNG, WEBP, ooxml, plain_zip


@pytest.mark.parametrize(
    ("content", "extension", "mimetype"),
    [
        (PDF, "pdf", "application/pdf"),
        (PNG, "png", "image/png"),
        (JPEG, "jpg", "image/jpeg"),
        (WEBP, "webp", "image/webp"),
        (ooxml("docx"), "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (ooxml("xlsx"), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ooxml("pptx"), "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ],
)
def test_each_accepted_kind_is_recognised(content, extension, mimetype):
    kind = sniff(content)
    assert kind is not None and (kind.extension, kind.mimetype) == (extension, mimetype)


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable renamed to scope.pdf",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<html><body>%PDF-1.4</body></html>",
        b"%PDF-1.4 cut off before its end",
        OLE2_DOC,
        ooxml("docm"),
        ooxml("docx", with_main_part=False),
        plain_zip(),
        b"PK\x03\x04 not really a zip",
        b"RIFF\x00\x00\x00\x00WAVEfmt ",
        b"",
    ],
    ids=[
        "executable",
        "svg",
        "html",
        "truncated-pdf",
        "legacy-doc",
        "macro-docm",
        "docx-without-document",
        "plain-zip",
        "broken-zip",
        "wav",
        "empty",
    ],
)
def test_anything_else_is_not_recognised(content):
    assert sniff(content) is None


def test_an_oversized_content_types_part_is_not_read(monkeypatch):
    monkeypatch.setattr(file_kinds, "CONTENT_TYPES_MAX_BYTES", 10)
    assert sniff(ooxml("docx")) is None


def test_content_types_declaring_entities_are_not_parsed():
    """A billion-laughs `[Content_Types].xml` is refused before any XML parser sees it."""
    import io
    import zipfile

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="&b;"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", bomb)
        archive.writestr("word/document.xml", "<document/>")
    assert sniff(buffer.getvalue()) is None
