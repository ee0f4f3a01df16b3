"""The quotes area's pages: the consultants' (`staff`) and the ones a body opens from its e-mail (`links`)."""

from portal.quotes.routes import links, staff  # noqa: F401  (the views attach themselves to bp)
