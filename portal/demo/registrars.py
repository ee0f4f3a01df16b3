"""A fictional registrar directory for the demo (`flask seed demo`), so matching has data.

Every body is marked as sample data in its name and notes, and its accreditation
numbers start with SAMPLE-: none of these is a real certification body. The
accreditation bodies are the real ones from the reference data. Dates are set
relative to today so some accreditations are always about to expire, one has
expired and one is suspended. Idempotent: bodies are matched on their slug.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.models import CertificationBody
from portal.models.types import utcnow
from portal.registrars.services import AccreditationData, BodyData, create_accreditation, create_body

NOTE = "SAMPLE DATA – a fictional certification body for trying the portal."
ALL = ("all",)

# slug, name, country, regions (or ALL), languages, day rate, travel fee (None: not charged), lead time,
# accreditations: (accreditation body, standard, sectors, days from today to expiry, status)
BODIES: tuple[tuple, ...] = (
    (
        "sample-gulf-quality",
        "Gulf Quality Assurance (sample)",
        "Oman",
        ALL,
        ("ar", "en"),
        "320.000",
        None,
        21,
        (
            ("GAC", "ISO 9001", (16, 17, 28, 29, 35), 900, "active"),
            ("GAC", "ISO 14001", (16, 28), 60, "active"),
            ("GAC", "ISO 45001", (28, 29), 700, "active"),
        ),
    ),
    (
        "sample-muscat-cert",
        "Muscat Certification Services (sample)",
        "Oman",
        ("muscat-governorate", "south-al-batinah", "north-al-batinah"),
        ("ar", "en"),
        "280.000",
        "45.000",
        14,
        (
            ("GAC", "ISO 9001", (29, 30, 31, 33, 35), 1000, "active"),
            ("GAC", "ISO/IEC 27001", (33, 35), 45, "active"),
        ),
    ),
    (
        "sample-albion-registrar",
        "Albion Registrar International (sample)",
        "United Kingdom",
        ALL,
        ("en",),
        "450.000",
        None,
        35,
        (
            ("UKAS", "ISO 9001", tuple(range(1, 40)), 1100, "active"),
            ("UKAS", "ISO 14001", tuple(range(1, 40)), 1100, "active"),
            ("UKAS", "ISO 45001", tuple(range(1, 40)), 1100, "active"),
            ("UKAS", "ISO/IEC 27001", (33, 34, 35), 800, "active"),
            ("UKAS", "ISO 22000", (), 500, "active"),
        ),
    ),
    (
        "sample-dhofar-audit",
        "Dhofar Audit & Certification (sample)",
        "Oman",
        ("dhofar", "al-wusta"),
        ("ar",),
        "250.000",
        "80.000",
        28,
        (("GAC", "ISO 9001", (3, 28, 31), 400, "active"), ("GAC", "ISO 22000", (), 20, "active")),
    ),
    (
        "sample-liberty-iso",
        "Liberty ISO Registrars (sample)",
        "United States",
        ALL,
        ("en", "ar"),
        "480.000",
        None,
        42,
        (
            ("ANAB", "ISO 9001", (10, 12, 17, 18, 19), 950, "active"),
            ("ANAB", "ISO 13485", (), 600, "active"),
            ("ANAB", "ISO 50001", (10, 25, 26), 75, "active"),
        ),
    ),
    (
        "sample-emirates-cert",
        "Emirates Conformity Partners (sample)",
        "United Arab Emirates",
        ("muscat-governorate", "al-buraimi", "north-al-batinah", "ad-dhahirah"),
        ("ar", "en", "hi", "ur"),
        "300.000",
        "60.000",
        18,
        (
            ("EIAC", "ISO 9001", (28, 29, 31, 35), 850, "active"),
            ("EIAC", "ISO 45001", (28,), 850, "suspended"),
        ),
    ),
    (
        "sample-najd-quality",
        "Najd Quality Registrar (sample)",
        "Saudi Arabia",
        ("muscat-governorate", "ad-dhahirah"),
        ("ar",),
        "270.000",
        "70.000",
        30,
        (("SAAC", "ISO 9001", (28, 29, 35), -15, "active"), ("SAAC", "ISO 14001", (28,), 650, "active")),
    ),
    (
        "sample-nile-certification",
        "Nile Certification Bureau (sample)",
        "Egypt",
        ALL,
        ("ar", "en"),
        "230.000",
        None,
        25,
        (("EGAC", "ISO 9001", (3, 12, 14, 17, 29), 720, "active"), ("EGAC", "ISO 22000", (), 80, "active")),
    ),
    (
        "sample-rhein-zert",
        "Rhein Zertifizierung (sample)",
        "Germany",
        ("muscat-governorate",),
        ("en", "de"),
        "520.000",
        "120.000",
        45,
        (
            ("DAkkS", "ISO 50001", (10, 17, 25), 900, "active"),
            ("DAkkS", "ISO 9001", (17, 18, 19, 22), 900, "active"),
        ),
    ),
    (
        "sample-anatolia-belge",
        "Anatolia Belgelendirme (sample)",
        "Türkiye",
        ("muscat-governorate", "al-wusta"),
        ("en", "tr"),
        "260.000",
        "90.000",
        20,
        (
            ("TURKAK", "ISO 9001", (16, 17, 28), 500, "active"),
            ("TURKAK", "ISO 45001", (16, 17, 28), 500, "active"),
        ),
    ),
    (
        "sample-southern-cross",
        "Southern Cross Assurance (sample)",
        "Australia",
        ("muscat-governorate", "dhofar"),
        ("en",),
        "410.000",
        "150.000",
        40,
        (
            ("JAS-ANZ", "ISO/IEC 27001", (33,), 30, "active"),
            ("JAS-ANZ", "ISO 22301", (32, 33), 600, "active"),
        ),
    ),
    (
        "sample-quickcert-global",
        "QuickCert Global (sample, not IAF-recognised)",
        "United Kingdom",
        ALL,
        ("en",),
        "150.000",
        None,
        7,
        (("UK-ABCB", "ISO 9001", tuple(range(1, 40)), 800, "active"),),
    ),
)


def _number(slug: str, standard: str, index: int) -> str:
    family = standard.split()[-1].split(":")[0]
    return f"SAMPLE-{slug.removeprefix('sample-').upper()[:10]}-{family}-{index:02d}"


def load_demo_registrars(today: date | None = None) -> int:
    """Create the sample bodies that are missing (with their accreditations); return how many."""
    today = today or utcnow().astimezone(MUSCAT).date()  # Oman's date, not the server's
    existing = set(db.session.scalars(select(CertificationBody.slug)))
    created = 0
    for slug, name, country, regions, languages, rate, travel, lead_time, accreditations in BODIES:
        if slug in existing:
            continue
        body = create_body(
            BodyData(
                name=name,
                slug=slug,
                website=f"https://{slug}.example.com",
                contact_name="Sample Contact",
                email=f"audits@{slug}.example.com",
                country=country,
                serves_all_oman=regions == ALL,
                region_slugs=() if regions == ALL else regions,
                languages=languages,
                day_rate=Decimal(rate),
                travel_charged=travel is not None,
                travel_fee=Decimal(travel or "0"),
                lead_time_days=lead_time,
                notes=NOTE,
            ),
            None,
        )
        for index, (ab, standard, sectors, days_left, status) in enumerate(accreditations, start=1):
            until = today + timedelta(days=days_left)
            create_accreditation(
                body,
                AccreditationData(
                    accreditation_body=ab,
                    standard=standard,
                    sector_codes=sectors,
                    number=_number(slug, standard, index),
                    valid_from=until - timedelta(days=3 * 365),
                    valid_until=until,
                    status=status,
                ),
                None,
            )
        created += 1
    return created
