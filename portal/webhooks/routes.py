"""Webhook admin pages."""
