"""`flask seed demo` includes a hospital and a school, the sectors MD 5 treats apart (issue 15)."""

from __future__ import annotations

from sqlalchemy import select

from portal.domain.sector_complexity import Complexity, default_complexity
from portal.extensions import db
from portal.models import Lead, Role


def demo_lead(reference: str) -> Lead:
    return db.session.scalars(select(Lead).where(Lead.reference == reference)).one()


def test_seed_demo_adds_a_hospital_and_a_school_once(runner, client, login_as):
    first = runner.invoke(args=["seed", "demo"])
    again = runner.invoke(args=["seed", "demo"])

    assert "hospital and school leads: 2 new" in first.output, first.output
    assert "hospital and school leads: 0 new" in again.output, again.output
    hospital, school = demo_lead("ENQ-DEMO-H001"), demo_lead("ENQ-DEMO-S001")
    assert (hospital.sector.code, [s.slug for s in hospital.standards]) == (38, ["iso-45001"])
    assert (school.sector.code, [s.slug for s in school.standards]) == (37, ["iso-9001"])
    assert "ISO 21001" in school.message
    # Why these two: MD 5's annex puts hospitals' OH&S high and education's EMS limited.
    assert default_complexity("ohs", hospital.sector.code) == Complexity.HIGH
    assert default_complexity("ems", school.sector.code) == Complexity.LIMITED
    assert hospital.email.endswith("@demo.example.om") and school.email.endswith("@demo.example.om")

    login_as(Role.CONSULTANT)
    inbox = client.get("/app/leads/").get_data(as_text=True)
    assert "Al Rawdha Specialty Hospital LLC" in inbox and "Al Multaqa Private School SAOC" in inbox
