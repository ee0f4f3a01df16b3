"""Long-form public content kept as Markdown files in portal/content/.

One file per standard (`standards/<slug>.md`) and per location (`locations/<slug>.md`),
so a page is written once as data, not as a template copied per standard. A file starts
with a front-matter block of `key: value` lines between `---` lines; the rest is Markdown,
rendered once and sanitised with nh3 (an allow-list), then cached for the process.

Translations live beside the original as `<slug>.<locale>.md`; a page falls back to
the original when no translation exists, the way gettext falls back to the msgid.

FAQ entries are read from the Markdown itself: every `### heading` that ends with a
question mark is a question, and the text up to the next heading is its answer. The page
shows them as written and also publishes them as FAQPage structured data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from pathlib import Path

import markdown
import nh3

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "li",
    "ol",
    "p",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"https", "mailto"}

FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
QUESTION_HEADING = re.compile(r"^###\s+(?P<question>.+[?؟])\s*$")
ANY_HEADING = re.compile(r"^#{1,6}\s")
LIST_KEYS = frozenset({"related"})


class ContentError(ValueError):
    """A content file that cannot be read as front matter + Markdown."""


@dataclass(frozen=True)
class Document:
    """A rendered content file: its front matter, safe HTML body and FAQ entries."""

    slug: str
    meta: dict[str, str]
    html: str
    related: tuple[str, ...] = ()
    faqs: tuple[tuple[str, str], ...] = field(default=())

    def get(self, key: str, default: str = "") -> str:
        return self.meta.get(key, default)


def render_markdown(source: str) -> str:
    """Markdown to HTML with only the tags and link schemes a content page needs."""
    html = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """Text of an HTML fragment, tags dropped and entities decoded (for JSON-LD)."""
    return " ".join(unescape(nh3.clean(html, tags=set())).split())


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split `---` front matter (one `key: value` a line) from the Markdown body."""
    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise ContentError("content file must start with a '---' front-matter block")
    meta: dict[str, str] = {}
    for number, line in enumerate(match["meta"].splitlines(), start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ContentError(f"line {number}: expected 'key: value'")
        meta[key.strip()] = value.strip()
    return meta, match["body"]


def extract_faqs(body: str) -> tuple[tuple[str, str], ...]:
    """Questions (`### …?` headings) with their answers as plain text."""
    faqs: list[tuple[str, str]] = []
    question: str | None = None
    answer: list[str] = []
    for line in [*body.splitlines(), "# end"]:
        if ANY_HEADING.match(line):
            text = plain_text(render_markdown("\n".join(answer))) if question else ""
            if question and text:
                faqs.append((question, text))
            heading = QUESTION_HEADING.match(line)
            question, answer = (heading["question"].strip(), []) if heading else (None, [])
        elif question is not None:
            answer.append(line)
    return tuple(faqs)


def parse_document(slug: str, text: str) -> Document:
    meta, body = parse_front_matter(text)
    related = tuple(item.strip() for item in meta.get("related", "").split(",") if item.strip())
    return Document(
        slug=slug,
        meta={k: v for k, v in meta.items() if k not in LIST_KEYS},
        html=render_markdown(body),
        related=related,
        faqs=extract_faqs(body),
    )


def _path(kind: str, slug: str, locale: str | None) -> Path | None:
    folder = CONTENT_DIR / kind
    candidates = [folder / f"{slug}.{locale}.md"] if locale else []
    candidates.append(folder / f"{slug}.md")
    return next((path for path in candidates if path.is_file()), None)


@lru_cache(maxsize=256)
def load_document(kind: str, slug: str, locale: str | None = None) -> Document | None:
    """The document `kind/slug` in `locale` (or the original), or None when there is none."""
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        return None
    path = _path(kind, slug, locale)
    return parse_document(slug, path.read_text(encoding="utf-8")) if path else None


@lru_cache(maxsize=8)
def available_slugs(kind: str) -> frozenset[str]:
    """Slugs that have an original (untranslated) file, i.e. that get a page."""
    folder = CONTENT_DIR / kind
    return frozenset(path.stem for path in folder.glob("*.md") if "." not in path.stem)
