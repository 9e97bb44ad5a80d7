"""Integrations: service accounts, metric links and the measurements they record."""
