"""The house's shape, checked: thin views, one blueprint per area package, every package in a layer."""

from __future__ import annotations

import inspect
import tomllib
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from flask import Flask

from portal import AREAS, create_app

ROOT = Path(__file__).resolve().parents[2]
LONGEST_VIEW_LINES = 30


@pytest.fixture(scope="module")
def portal_app() -> Flask:
    """The app as configured for tests; nothing here touches its database."""
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _views(app: Flask) -> Iterator[tuple[str, object]]:
    for endpoint, view in app.view_functions.items():
        if endpoint != "static" and not endpoint.endswith(".static"):
            yield endpoint, inspect.unwrap(view)


def test_every_view_is_shorter_than_thirty_lines(portal_app: Flask) -> None:
    """Views stay thin (load, check, validate, call a service, answer): rules live in services and the domain."""
    lengths = {endpoint: len(inspect.getsourcelines(view)[0]) for endpoint, view in _views(portal_app)}
    assert {endpoint: n for endpoint, n in lengths.items() if n >= LONGEST_VIEW_LINES} == {}


def test_each_area_package_creates_its_blueprint_and_create_app_registers_it(portal_app: Flask) -> None:
    for name in AREAS:
        blueprint = import_module(name).bp
        assert blueprint.import_name == name
        assert portal_app.blueprints[blueprint.name] is blueprint


def test_every_view_belongs_to_a_registered_area(portal_app: Flask) -> None:
    areas = {import_module(name).bp.name for name in AREAS}
    assert {endpoint for endpoint, _ in _views(portal_app) if endpoint.split(".")[0] not in areas} == set()


def test_every_package_of_the_portal_has_a_place_in_the_layers_contract() -> None:
    """A new area is covered by the import contracts the day it is added, or this fails."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers" and c.get("containers") == ["portal"]]
    in_layers = {name.strip(" ()") for layer in layers for name in layer.replace("|", ":").split(":")}
    packages = {path.parent.name for path in (ROOT / "portal").glob("*/__init__.py")}
    assert packages - in_layers == set()
