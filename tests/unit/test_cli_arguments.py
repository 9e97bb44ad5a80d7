"""The CLI's free-text arguments refuse, as a usage error before anything runs, a value no
record can hold: one clear message, exit status 2, no traceback."""

from __future__ import annotations

import pytest

from cli.main import main

ODD = {"nul": "a\x00b", "lone-surrogate": "a\udcffb"}


@pytest.mark.parametrize("value", ODD.values(), ids=ODD.keys())
@pytest.mark.parametrize("command", [["people", "erase"], ["projections", "quarantine", "retry"]],
                         ids=["people-erase", "quarantine-retry"])
def test_an_argument_no_record_can_hold_is_a_usage_error(
    command: list[str], value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, value])
    assert exited.value.code == 2
    assert "error: argument" in capsys.readouterr().err


def test_a_person_id_longer_than_the_directory_allows_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["people", "erase", "x" * 100_000])
    assert exited.value.code == 2
    assert "longer than 100 characters" in capsys.readouterr().err
