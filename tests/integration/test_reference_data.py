"""The reference data every form and match depends on: loaded once, complete, and safe to reload."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.core.reference_data import load_reference_data
from portal.extensions import db
from portal.models import AccreditationBody, Region, Sector, Standard

CAPITALS = {
    "Muscat Governorate": "Muscat",
    "Dhofar": "Salalah",
    "Musandam": "Khasab",
    "Al Buraimi": "Al Buraimi",
    "Ad Dakhiliyah": "Nizwa",
    "North Al Batinah": "Sohar",
    "South Al Batinah": "Rustaq",
    "North Ash Sharqiyah": "Ibra",
    "South Ash Sharqiyah": "Sur",
    "Ad Dhahirah": "Ibri",
    "Al Wusta": "Haima",
}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def load() -> dict[str, int]:
    created = load_reference_data()
    db.session.commit()
    return created


def test_loading_twice_creates_no_duplicates(app):
    first = load()
    second = load()

    assert first == {"standards": 14, "sectors": 39, "regions": 27, "accreditation_bodies": 12}
    assert second == {"standards": 0, "sectors": 0, "regions": 0, "accreditation_bodies": 0}
    assert count(Standard) == 14
    assert count(Sector) == 39
    assert count(Region) == 27
    assert count(AccreditationBody) == 12


def test_sectors_are_the_39_iaf_codes(app):
    load()

    assert list(db.session.scalars(select(Sector.code).order_by(Sector.code))) == list(range(1, 40))
    assert db.session.scalar(select(Sector.name).where(Sector.code == 33)) == "Information technology"


def test_the_eleven_governorates_with_their_capitals(app):
    load()

    governorates = db.session.scalars(select(Region).where(Region.kind == "governorate")).all()
    capitals = db.session.scalars(select(Region).where(Region.is_capital.is_(True))).all()

    assert len(governorates) == 11
    assert {city.governorate.name: city.name for city in capitals} == CAPITALS
    duqm = db.session.scalar(select(Region).where(Region.name == "Duqm"))
    assert duqm.governorate.name == "Al Wusta"


def test_only_iaf_mla_signatories_are_marked_as_such(app):
    load()

    signatories = set(db.session.scalars(select(AccreditationBody.code).where(AccreditationBody.iaf_mla_signatory)))

    assert count(AccreditationBody, AccreditationBody.iaf_mla_signatory.is_(True)) == 10
    assert {"GAC", "UKAS", "ANAB", "IAS", "JAS-ANZ", "DAkkS", "EIAC", "SAAC", "EGAC", "TURKAK"} == signatories


def test_non_certifiable_documents_are_not_offered(app):
    load()

    codes = list(db.session.scalars(select(Standard.code)))

    assert "ISO 9001:2015" in codes
    assert "ISO/IEC 27001:2022" in codes
    assert not [code for code in codes if "31000" in code or "17025" in code]


def test_reloading_restores_edited_rows_in_place(app):
    load()
    standard = db.session.scalar(select(Standard).where(Standard.code == "ISO 9001:2015"))
    original_id, original_title = standard.id, standard.title
    standard.title = "Edited by mistake"
    db.session.commit()

    load()

    restored = db.session.scalar(select(Standard).where(Standard.code == "ISO 9001:2015"))
    assert (restored.id, restored.title) == (original_id, original_title)
    assert count(Standard) == 14
