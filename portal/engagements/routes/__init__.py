"""The engagements area's pages: the board and list (`board`), one engagement and its actions (`engagement`), a transfer (`transfer`)."""

from portal.engagements.routes import board, engagement, transfer  # noqa: F401  (the views attach themselves to bp)
