"""Validated configuration from MOMENTUM_* environment variables; imports nothing from the project."""

from settings.config import DEVELOPMENT_JWT_SECRET, Settings

__all__ = ["DEVELOPMENT_JWT_SECRET", "Settings"]
