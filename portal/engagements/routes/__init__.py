"""The engagements area's pages: the board and list (`board`), one engagement and its actions (`engagement`)."""

from portal.engagements.routes import board, engagement  # noqa: F401  (the views attach themselves to bp)
