"""Every language's catalogue is complete, current and keeps the placeholders of the code.

The strings are extracted in-process with Babel's API from the files `babel.cfg` names, the
same way `make translations` does, and compared with each committed `.po`: a message added
to or removed from the code without `make translations` is a stale catalogue; an empty,
fuzzy or placeholder-changing translation would show English, or break `%` formatting, to
an Arabic reader.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "portal" / "translations"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_pgettext": ((1, "c"), 2)}  # as `make translations` adds

# Python %-format placeholders (`%(name)s`, `%d`, ...) and str.format fields (`{name}`); `%%` is a literal.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{[^{}]*\}")
# Plural forms whose number is in the words themselves (Arabic "one day", "two days"):
# those may leave out the number's placeholder (%(num)s, or %(count)s where the number is
# written in the language's digits first), every other placeholder stays.
WORDED_FORMS = {0, 1, 2}
NUMBER_PLACEHOLDERS = ("%(num)", "%(count)")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def _not_hidden(dirname: str) -> bool:
    """As `make translations` (--ignore-dirs=".*"): Babel's default would also skip templates/_macros/."""
    return not Path(dirname).name.startswith(".")


def _code_messages() -> dict[tuple[str, str | None], Message]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalogue = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=_not_hidden
    ):
        catalogue.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context): m for m in catalogue if m.id}


@pytest.fixture(scope="module")
def code_messages() -> dict[tuple[str, str | None], Message]:
    return _code_messages()


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _key(message: Message) -> tuple[str, str | None]:
    return (message.id if isinstance(message.id, str) else message.id[0], message.context)


def test_there_is_an_arabic_catalogue():
    assert TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_has_exactly_the_messages_of_the_code(path, code_messages):
    committed = {_key(m) for m in _read(path) if m.id}
    missing = sorted(k[0] for k in set(code_messages) - committed)
    gone = sorted(k[0] for k in committed - set(code_messages))
    assert not missing and not gone, (
        f"{path.relative_to(ROOT)} is stale: run `make translations`. "
        f"{len(missing)} in the code but not in the catalogue (first: {missing[:5]}); "
        f"{len(gone)} in the catalogue but no longer in the code (first: {gone[:5]})."
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_is_translated_and_not_fuzzy(path):
    catalogue = _read(path)
    untranslated = []
    for message in catalogue:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or len(forms) < (catalogue.num_plurals if message.pluralizable else 1) or not all(forms):
            untranslated.append(_key(message)[0])
    assert not untranslated, f"{len(untranslated)} messages without a translation, e.g. {untranslated[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_translations_keep_the_placeholders(path):
    wrong = []
    for message in _read(path):
        if not message.id:
            continue
        if not message.pluralizable:
            if message.string and _placeholders(message.string) != _placeholders(message.id):
                wrong.append(message.id)
            continue
        expected = _placeholders(message.id[1])
        for index, form in enumerate(message.string):
            found = _placeholders(form)
            if (
                form
                and found != expected
                and not (
                    index in WORDED_FORMS and found == [p for p in expected if not p.startswith(NUMBER_PLACEHOLDERS)]
                )
            ):
                wrong.append(f"{message.id[0]} [form {index}]")
    assert not wrong, f"translations that drop or add a placeholder: {wrong[:10]}"


def test_placeholder_check_sees_a_dropped_and_an_added_placeholder():
    """The check itself: `%(name)s` lost, or `{x}` added, changes the list it compares."""
    assert _placeholders("Hello %(name)s, %d left") == ["%(name)s", "%d"]
    assert _placeholders("مرحبًا") != _placeholders("Hello %(name)s")
    assert _placeholders("{x} 100%% done") == ["{x}"]
