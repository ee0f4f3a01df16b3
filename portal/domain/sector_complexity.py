"""Default IAF MD 5 complexity of each IAF/EA sector (1-39), for the EMS and OH&S tables.

Environmental and OH&S audit time depends on how serious the organisation's
aspects and hazards are, which mostly follows from what it does. These defaults
follow IAF MD 5's examples: extraction, petroleum, chemicals, pharmaceuticals,
cement, metals, energy and construction are high; offices, IT, finance, education
and public administration are low; the rest medium. A consultant who knows the
site overrides the default ("limited" is only ever chosen that way).
"""

from __future__ import annotations

from portal.domain.md5_tables import TABLE_COMPLEXITIES, Complexity

H, M, L = Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW

# IAF/EA code -> (EMS complexity, OH&S complexity)
SECTOR_COMPLEXITY: dict[int, tuple[Complexity, Complexity]] = {
    1: (H, H),  # agriculture, forestry and fishing
    2: (H, H),  # mining and quarrying
    3: (M, M),  # food products, beverages and tobacco
    4: (M, M),  # textiles
    5: (H, M),  # leather (tanning)
    6: (M, M),  # wood
    7: (H, M),  # pulp and paper
    8: (L, L),  # publishing
    9: (M, M),  # printing
    10: (H, H),  # coke and refined petroleum
    11: (H, H),  # nuclear fuel
    12: (H, H),  # chemicals
    13: (H, H),  # pharmaceuticals
    14: (M, M),  # rubber and plastics
    15: (M, M),  # non-metallic mineral products
    16: (H, H),  # concrete, cement, lime, plaster
    17: (H, H),  # basic and fabricated metals
    18: (M, M),  # machinery and equipment
    19: (M, M),  # electrical and optical equipment
    20: (M, H),  # shipbuilding
    21: (M, M),  # aerospace
    22: (M, M),  # other transport equipment
    23: (M, M),  # manufacturing n.e.c.
    24: (H, H),  # recycling
    25: (H, H),  # electricity supply
    26: (H, H),  # gas supply
    27: (H, M),  # water supply
    28: (H, H),  # construction
    29: (M, M),  # wholesale and retail, repair of vehicles
    30: (M, M),  # hotels and restaurants
    31: (M, M),  # transport, storage and communication
    32: (L, L),  # financial intermediation, real estate, renting
    33: (L, L),  # information technology
    34: (M, M),  # engineering services
    35: (M, M),  # other services
    36: (L, L),  # public administration
    37: (L, L),  # education
    38: (M, M),  # health and social work
    39: (L, L),  # other social services
}

# Used when the sector is unknown or outside 1-39.
DEFAULT_COMPLEXITY = Complexity.MEDIUM
_TABLE_POSITION = {"ems": 0, "ohs": 1}


def default_complexity(table: str, sector_code: int | None) -> Complexity | None:
    """The default category for `table` ("ems" or "ohs") in a sector; None for tables without categories."""
    if not TABLE_COMPLEXITIES.get(table):
        return None
    pair = SECTOR_COMPLEXITY.get(sector_code) if sector_code is not None else None
    return pair[_TABLE_POSITION[table]] if pair else DEFAULT_COMPLEXITY
