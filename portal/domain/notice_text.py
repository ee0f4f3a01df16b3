"""The privacy notice as an admin writes it: plain text, where a line starting with "## " is a
heading, lines starting with "- " make a list, and a blank line separates paragraphs. Kept
plain so an admin without HTML can edit it, and so the page never renders markup it was given."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "list" or "paragraph"
    lines: tuple[str, ...]


def normalise(text: str) -> str:
    """Line ends unified, trailing spaces and surrounding blank lines dropped: what is compared and stored."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def blocks(text: str) -> list[Block]:
    """The notice's headings, lists and paragraphs, in order."""
    result: list[Block] = []
    for chunk in normalise(text).split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        while lines:
            if lines[0].startswith("## "):
                result.append(Block("heading", (lines.pop(0)[3:].strip(),)))
            elif lines[0].startswith("- "):
                items = []
                while lines and lines[0].startswith("- "):
                    items.append(lines.pop(0)[2:].strip())
                result.append(Block("list", tuple(items)))
            else:
                paragraph = []
                while lines and not lines[0].startswith(("## ", "- ")):
                    paragraph.append(lines.pop(0))
                result.append(Block("paragraph", (" ".join(paragraph),)))
    return result


def content_hash(body_en: str, body_ar: str) -> str:
    """SHA-256 of both languages' normalised texts: equal words, equal hash."""
    joined = normalise(body_en) + "\n\x00\n" + normalise(body_ar)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()
