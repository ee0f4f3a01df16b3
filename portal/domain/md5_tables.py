"""IAF MD 5 initial audit time (stage 1 + stage 2) by effective personnel, as data.

One row per personnel band: the band's upper bound, then the auditor-days of each
column. The columns are the quality table (QMS, no complexity categories), the
environmental table by complexity (high, medium, low, limited) and the occupational
health and safety table by complexity (high, medium, low).

Above the last band (10,700 personnel) the table "continues its progression": the
code repeats the last band. Each further 2,200 personnel (10,700 - 8,500, the last
band's width) adds the last band's increment in each column (QMS +1, EMS high +2,
EMS medium +2, EMS low +1, EMS limited +1, OH&S high +2, OH&S medium +2, OH&S low +1).
So 10,701-12,900 personnel is QMS 23 days, 12,901-15,100 is QMS 24 days, and so on.
"""

from __future__ import annotations

import enum
from fractions import Fraction


class Complexity(enum.StrEnum):
    """IAF MD 5 complexity category of an organisation's environmental or OH&S risks."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    LIMITED = "limited"  # environmental table only


# Table (the Standard.md5_table value) -> the complexity categories it distinguishes.
TABLE_COMPLEXITIES: dict[str, tuple[Complexity, ...]] = {
    "qms": (),
    "ems": (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED),
    "ohs": (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW),
}

# Column names: "<table>_<complexity>", or "qms" for the quality table.
COLUMNS = ("qms", "ems_high", "ems_medium", "ems_low", "ems_limited", "ohs_high", "ohs_medium", "ohs_low")

# (upper bound of the personnel band, days per column in COLUMNS order)
_ROWS: tuple[tuple[int, tuple[float, ...]], ...] = (
    (5, (1.5, 3, 2.5, 2.5, 2.5, 3, 2.5, 2.5)),
    (10, (2, 3.5, 3, 3, 3, 3.5, 3, 3)),
    (15, (2.5, 4.5, 3.5, 3, 3, 4.5, 3.5, 3)),
    (25, (3, 5.5, 4.5, 3.5, 3, 5.5, 4.5, 3.5)),
    (45, (4, 7, 5.5, 4, 3, 7, 5.5, 4)),
    (65, (5, 8, 6, 4.5, 3.5, 8, 6, 4.5)),
    (85, (6, 9, 7, 5, 3.5, 9, 7, 5)),
    (125, (7, 11, 8, 5.5, 4, 11, 8, 5.5)),
    (175, (8, 12, 9, 6, 4.5, 12, 9, 6)),
    (275, (9, 13, 10, 7, 5, 13, 10, 7)),
    (425, (10, 15, 11, 8, 5.5, 15, 11, 8)),
    (625, (11, 16, 12, 9, 6, 16, 12, 9)),
    (875, (12, 17, 13, 10, 6.5, 17, 13, 10)),
    (1175, (13, 19, 15, 11, 7, 19, 15, 11)),
    (1550, (14, 20, 16, 12, 7.5, 20, 16, 12)),
    (2025, (15, 21, 17, 12, 8, 21, 17, 12)),
    (2675, (16, 23, 18, 13, 8.5, 23, 18, 13)),
    (3450, (17, 25, 19, 14, 9, 25, 19, 14)),
    (4350, (18, 27, 20, 15, 10, 27, 20, 15)),
    (5450, (19, 28, 21, 16, 11, 28, 21, 16)),
    (6800, (20, 30, 23, 17, 12, 30, 23, 17)),
    (8500, (21, 32, 25, 19, 13, 32, 25, 19)),
    (10700, (22, 34, 27, 20, 14, 34, 27, 20)),
)

BAND_UPPER_BOUNDS: tuple[int, ...] = tuple(upper for upper, _days in _ROWS)
LAST_BAND_UPPER = BAND_UPPER_BOUNDS[-1]
EXTENSION_WIDTH = LAST_BAND_UPPER - BAND_UPPER_BOUNDS[-2]  # 2,200 personnel

# Column -> days per band, as exact fractions (every figure is a whole or half day).
DAYS: dict[str, tuple[Fraction, ...]] = {
    column: tuple(Fraction(days[index]).limit_denominator(2) for _upper, days in _ROWS)
    for index, column in enumerate(COLUMNS)
}
# Column -> days added per EXTENSION_WIDTH personnel above LAST_BAND_UPPER.
EXTENSION_INCREMENT: dict[str, Fraction] = {column: days[-1] - days[-2] for column, days in DAYS.items()}
