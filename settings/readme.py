"""README's settings table, generated from `Settings` (each setting's docstring is its meaning)
by `momentum docs settings`; tests/unit/test_settings_docs.py fails when it drifts."""

from __future__ import annotations

from typing import Any

from pydantic_settings import BaseSettings

from settings.config import Settings

BEGIN = "<!-- settings table: generated from settings/config.py by `momentum docs settings`; do not edit -->"
END = "<!-- end of the settings table -->"
SHOWN_DEFAULTS = {"jwt_secret": "a development secret"}


class UndescribedSetting(ValueError):
    """A setting without a docstring: the table would not say what it means."""


def table(model: type[BaseSettings] = Settings) -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in model.model_fields.items():
        if not field.description:
            raise UndescribedSetting(f"setting {name} has no description: write a docstring under it")
        rows.append(f"| `MOMENTUM_{name.upper()}` | {_default(name, field.default)} | {field.description} |")
    return "\n".join(rows) + "\n"


def with_table(readme: str, model: type[BaseSettings] = Settings) -> str:
    """The README with its table between the markers replaced by a freshly generated one."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + table(model) + readme[end:]


def _default(name: str, value: Any) -> str:
    if name in SHOWN_DEFAULTS:
        return SHOWN_DEFAULTS[name]
    if value == "":
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"
