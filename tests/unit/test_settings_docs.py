"""README's settings table is generated from `Settings` (`momentum docs settings`)."""

from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from settings import Settings
from settings.readme import UndescribedSetting, table, with_table

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_settings_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme == with_table(readme), "README's settings table is out of date: run `momentum docs settings`"
    for name in Settings.model_fields:
        assert f"| `MOMENTUM_{name.upper()}` |" in readme


def test_a_setting_without_a_description_stops_the_generation() -> None:
    class Undescribed(BaseSettings):
        model_config = Settings.model_config
        described: int = 1
        """has a meaning"""
        undescribed: int = 2

    with pytest.raises(UndescribedSetting, match="undescribed"):
        table(Undescribed)


def test_a_new_setting_changes_the_table() -> None:
    class More(Settings):
        brand_new: str = "x"
        """a setting added after the README was generated"""

    readme = (ROOT / "README.md").read_text()
    assert "| `MOMENTUM_BRAND_NEW` | `x` | a setting added after the README was generated |" in with_table(readme, More)
    assert with_table(readme, More) != readme
