"""Clients: the organisations the consultancy works for, with their engagements and contacts."""
