"""Quotes: request, compare, enter by hand and accept certification bodies' prices."""
