"""Default IAF MD 5 complexity of each IAF/EA sector (1-39), for the EMS and OH&S tables: the one source.

Environmental and OH&S audit time depends on how serious the organisation's
aspects and hazards are, which mostly follows from what it does. IAF MD 5:2019
gives examples of business sectors per complexity category in its annexes, one list
for environmental management (categories high, medium, low, limited) and another
for OH&S (high, medium, low); the two differ, so each sector has a default per table:

- hospitals, healthcare and social work (38): EMS medium, OH&S high, so a
  100-person hospital's ISO 45001 initial audit is 11 days (OH&S table, high, 86-125);
- education (37): EMS limited, OH&S medium; offices, IT, finance and publishing
  (8, 32, 33): EMS limited, OH&S low;
- sewage, refuse and waste processing (39, and recycling 24 where the waste is
  hazardous): high for both; aerospace (21): OH&S high;
- agriculture and fishing (1), electricity other than coal (25), gas (26) and water
  supply (27): EMS medium.

MD 5 leaves some sectors to the certification body ("special cases"): nuclear (11)
for both tables and public administration (36) for EMS. There is no default then:
the estimate asks the consultant or visitor to choose the category. Storing large
quantities of hazardous material is also such a case; it is an activity, not a sector,
so the sectors where it happens (29, 31) say so beside their default.

Some IAF codes cover activities in several categories (basic metals are high,
fabricated metal products medium; hazardous recycling high, other recycling medium;
fuel trade medium, other trade low; sewage and refuse high, other social services
low; coal-fired electricity high, other generation medium). Their default comes
first: the higher category (an estimate should not understate), except electricity,
where MD 5's example puts generation other than coal at EMS medium. The others follow,
so the result can say the figure may be higher or lower, and the quote check never
calls a quote below the minimum for a category the body may rightly choose.

The lead score's high-complexity sectors are derived from this table too
(portal.domain.lead_scoring), so the estimate and the inbox never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.md5_tables import TABLE_COMPLEXITIES, Complexity

H, M, L, LTD = Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED
SPECIAL: tuple[Complexity, ...] = ()  # MD 5 special case: the certification body chooses


@dataclass(frozen=True)
class SectorProfile:
    """A sector's categories per table: the default first, then the others its activities reach (() = special case)."""

    ems: tuple[Complexity, ...]
    ohs: tuple[Complexity, ...]
    hazardous_storage: bool = False  # large hazardous stores here are an MD 5 special case

    def categories(self, table: str) -> tuple[Complexity, ...]:
        return self.ems if table == "ems" else self.ohs


# IAF/EA code -> profile (IAF MD 5:2019 annex examples, EMS and OH&S separately).
SECTOR_COMPLEXITY: dict[int, SectorProfile] = {
    1: SectorProfile((M,), (H,)),  # agriculture, forestry and fishing
    2: SectorProfile((H,), (H,)),  # mining and quarrying
    3: SectorProfile((M,), (M,)),  # food products, beverages and tobacco
    4: SectorProfile((M,), (M,)),  # textiles
    5: SectorProfile((H,), (M,)),  # leather (tanning)
    6: SectorProfile((M,), (M,)),  # wood
    7: SectorProfile((H,), (M,)),  # pulp and paper
    8: SectorProfile((LTD,), (L,)),  # publishing
    9: SectorProfile((M,), (M,)),  # printing
    10: SectorProfile((H,), (H,)),  # coke and refined petroleum
    11: SectorProfile(SPECIAL, SPECIAL),  # nuclear fuel
    12: SectorProfile((H,), (H,)),  # chemicals
    13: SectorProfile((H,), (H,)),  # pharmaceuticals
    14: SectorProfile((M,), (M,)),  # rubber and plastics
    15: SectorProfile((M,), (M,)),  # non-metallic mineral products
    16: SectorProfile((H,), (H,)),  # concrete, cement, lime, plaster
    17: SectorProfile((H, M), (H, M)),  # basic metals (high) and fabricated metal products (medium)
    18: SectorProfile((M,), (M,)),  # machinery and equipment
    19: SectorProfile((M,), (M,)),  # electrical and optical equipment
    20: SectorProfile((M,), (H,)),  # shipbuilding
    21: SectorProfile((M,), (H,)),  # aerospace
    22: SectorProfile((M,), (M,)),  # other transport equipment
    23: SectorProfile((M,), (M,)),  # manufacturing n.e.c.
    24: SectorProfile((H, M), (H, M)),  # recycling: hazardous waste (high), other (medium)
    25: SectorProfile((M, H), (H,)),  # electricity supply: coal-fired generation is EMS high
    26: SectorProfile((M,), (H,)),  # gas supply
    27: SectorProfile((M,), (M,)),  # water supply
    28: SectorProfile((H,), (H,)),  # construction
    29: SectorProfile((M, L), (M, L), hazardous_storage=True),  # trade: fuel (medium), other goods (low)
    30: SectorProfile((M,), (M,)),  # hotels and restaurants
    31: SectorProfile((M,), (M,), hazardous_storage=True),  # transport, storage and communication
    32: SectorProfile((LTD,), (L,)),  # financial intermediation, real estate, renting
    33: SectorProfile((LTD,), (L,)),  # information technology
    34: SectorProfile((M,), (M,)),  # engineering services
    35: SectorProfile((M,), (M,)),  # other services
    36: SectorProfile(SPECIAL, (L,)),  # public administration
    37: SectorProfile((LTD,), (M,)),  # education
    38: SectorProfile((M,), (H,)),  # health and social work (hospitals, healthcare, veterinary)
    39: SectorProfile((H, L), (H, L)),  # sewage and refuse (high), other social services (low)
}

# Used when the sector is unknown or outside 1-39.
DEFAULT_COMPLEXITY = Complexity.MEDIUM


def _categories(table: str, sector_code: int | None) -> tuple[Complexity, ...] | None:
    """The sector's categories for `table`; None when the sector is unknown."""
    profile = SECTOR_COMPLEXITY.get(sector_code) if sector_code is not None else None
    return profile.categories(table) if profile else None


def default_complexity(table: str, sector_code: int | None) -> Complexity | None:
    """The default category for `table` ("ems" or "ohs") in a sector.

    None for tables without categories (QMS) and for MD 5's special cases, where the
    certification body chooses (see is_special_case).
    """
    if not TABLE_COMPLEXITIES.get(table):
        return None
    categories = _categories(table, sector_code)
    if categories is None:
        return DEFAULT_COMPLEXITY
    return categories[0] if categories else None


def is_special_case(table: str, sector_code: int | None) -> bool:
    """MD 5 leaves this sector's category for `table` to the certification body."""
    return bool(TABLE_COMPLEXITIES.get(table)) and _categories(table, sector_code) == SPECIAL


def possible_complexities(table: str, sector_code: int | None) -> tuple[Complexity, ...]:
    """Every category the body may rightly choose for the sector: its own, or the whole table when unknown or special."""
    categories = _categories(table, sector_code)
    return categories if categories else TABLE_COMPLEXITIES.get(table, ())


def lowest_complexity(table: str, sector_code: int | None) -> Complexity:
    """The least demanding category the body may rightly choose for the sector (the table's own order runs high to low)."""
    order = TABLE_COMPLEXITIES[table]
    return max(possible_complexities(table, sector_code), key=order.index)


def spans_categories(table: str, sector_code: int | None) -> bool:
    """The IAF code covers activities in more than one category, so the default may overstate."""
    categories = _categories(table, sector_code)
    return categories is not None and len(categories) > 1


def stores_hazardous_material_here(sector_code: int | None) -> bool:
    """Large stores of hazardous material in this sector are an MD 5 special case the body judges."""
    profile = SECTOR_COMPLEXITY.get(sector_code) if sector_code is not None else None
    return bool(profile and profile.hazardous_storage)


def highest_complexity(sector_code: int) -> Complexity | None:
    """The sector's most demanding default over both tables; None if unknown.

    A table left to the body (special case) does not count, unless both are (nuclear):
    then the sector is taken as high, the tables' own top category.
    """
    profile = SECTOR_COMPLEXITY.get(sector_code)
    if profile is None:
        return None
    defaults = {categories[0] for categories in (profile.ems, profile.ohs) if categories}
    return next((level for level in (H, M, L, LTD) if level in defaults), Complexity.HIGH)
