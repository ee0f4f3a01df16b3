"""The reference data every form and match depends on: loaded once, complete, and safe to reload."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.core.reference_data import load_reference_data
from portal.domain import mla
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

    assert first == {
        "standards": 14,
        "standard_editions": 9,
        "sectors": 39,
        "regions": 27,
        "accreditation_bodies": 12,
        "mla_signatures": 64,
    }
    assert second == dict.fromkeys(first, 0)
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


def test_signatories_record_the_main_scope_and_only_real_sub_scopes(app):
    """IAF MLA Annex 1 (2022): no sub-scope for ISO 22301 (BCMS) or ISO 37001 (ABMS)."""
    load()

    bodies = db.session.scalars(select(AccreditationBody)).all()
    assert all(("MS" in body.mla_scopes) == body.iaf_mla_signatory for body in bodies)
    assert set().union(*(body.mla_scopes for body in bodies)) == set(mla.SCOPES)


def test_reloading_keeps_the_mla_signatures_an_admin_edited(app):
    load()
    ukas = db.session.scalar(select(AccreditationBody).where(AccreditationBody.code == "UKAS"))
    isms = next(s for s in ukas.mla_signatures if s.scope == "ISMS")
    isms.source, isms.recognised_on = "https://example.org/ukas-mla", date(2018, 4, 5)
    ukas.mla_signatures.remove(next(s for s in ukas.mla_signatures if s.scope == "EnMS"))
    db.session.commit()

    load()

    db.session.refresh(isms)
    assert (isms.source, isms.recognised_on) == ("https://example.org/ukas-mla", date(2018, 4, 5))
    assert "EnMS" not in ukas.mla_scopes  # a scope the admin removed stays removed


def test_standards_not_scoped_by_iaf_sectors(app):
    """IAF ID 1 and MD 22 use IAF codes for QMS, EMS and OH&S; ISO 50003 and ISO/IEC 27006 do not."""
    load()

    schemes = dict(db.session.execute(select(Standard.code, Standard.scope_scheme)).all())
    assert {code for code, scheme in schemes.items() if scheme == "iaf"} == {
        "ISO 9001",
        "ISO 14001",
        "ISO 45001",
    }
    assert schemes["ISO 50001"] == "energy_area"
    assert schemes["ISO/IEC 27001"] == "own_wording"


def test_non_certifiable_documents_are_not_offered(app):
    load()

    codes = list(db.session.scalars(select(Standard.code)))

    assert "ISO 9001" in codes
    assert "ISO/IEC 27001" in codes
    assert not [code for code in codes if "31000" in code or "17025" in code]


def test_reloading_restores_edited_rows_in_place(app):
    load()
    standard = db.session.scalar(select(Standard).where(Standard.code == "ISO 9001"))
    original_id, original_title = standard.id, standard.title
    standard.title = "Edited by mistake"
    db.session.commit()

    load()

    restored = db.session.scalar(select(Standard).where(Standard.code == "ISO 9001"))
    assert (restored.id, restored.title) == (original_id, original_title)
    assert count(Standard) == 14
