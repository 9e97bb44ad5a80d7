"""docker-compose.yml cannot run here (no Docker engine); this checks it against the code."""

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from cli.main import PROCESSES
from settings import Settings

ROOT = Path(__file__).resolve().parents[2]
MOMENTUM_PROCESSES = set(PROCESSES)  # each process `momentum run` supervises is a service of its own


def compose() -> dict:  # type: ignore[type-arg]
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_declares_the_services_with_health_checks() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "kafka", *MOMENTUM_PROCESSES}
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    for name in ("postgres", "kafka", "api"):
        assert "test" in services[name]["healthcheck"]
    for name in MOMENTUM_PROCESSES:
        assert services[name]["command"] == [name]
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_the_readme_counts_the_compose_services() -> None:
    numbers = {"four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
    said = re.search(r"`docker compose up` runs the same (\w+) services", (ROOT / "README.md").read_text())
    assert said and numbers[said[1]] == len(compose()["services"])


def test_every_momentum_variable_in_compose_is_a_setting_and_is_valid() -> None:
    known = {f"MOMENTUM_{name.upper()}" for name in Settings.model_fields}
    for name in MOMENTUM_PROCESSES:
        environment = compose()["services"][name]["environment"]
        variables = {k: str(v) for k, v in environment.items() if k.startswith("MOMENTUM_")}
        assert variables.keys() <= known, variables.keys() - known
        assert {"MOMENTUM_DATABASE_URL", "MOMENTUM_KAFKA_BOOTSTRAP", "MOMENTUM_JWT_SECRET"} <= variables.keys()
        fields = {k.removeprefix("MOMENTUM_").lower(): v.replace("${MOMENTUM_JWT_SECRET:-", "").rstrip("}")
                  for k, v in variables.items()}
        Settings(**fields)  # type: ignore[arg-type]


def test_compose_credentials_match_the_database_url() -> None:
    services = compose()["services"]
    url = services["api"]["environment"]["MOMENTUM_DATABASE_URL"]
    postgres = services["postgres"]["environment"]
    user, password, database = postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], postgres["POSTGRES_DB"]
    assert url == f"postgresql://{user}:{password}@postgres:5432/{database}"


def test_the_image_ships_every_package(tmp_path: Path) -> None:
    """`pip install .` of what the Dockerfile copies installs every package of it, subpackages too."""
    copies = re.findall(r"^COPY (\S+(?: \S+)*) (\S+)$", (ROOT / "Dockerfile").read_text(), re.M)
    source = tmp_path / "source"
    for sources, target in copies:
        for name in sources.split():
            destination = source / (name if target.endswith("/") else target)
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, destination, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(ROOT / name, destination)
    copied = {init.parent.relative_to(source).as_posix() for init in source.rglob("__init__.py")}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path),
                    str(source)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    shipped = {name.rpartition("/")[0] for name in zipfile.ZipFile(wheel).namelist() if name.endswith("/__init__.py")}
    assert "api/insight" in copied and copied <= shipped


def test_the_api_and_the_projector_are_scaled_and_the_relay_is_one() -> None:
    services = compose()["services"]
    assert services["api"]["deploy"]["replicas"] >= 2 and services["projector"]["deploy"]["replicas"] >= 2
    assert int(services["api"]["environment"]["MOMENTUM_API_WORKERS"]) >= 2
    first, _, last = services["api"]["ports"][0].rpartition(":")[0].partition(":")[2].partition("-")
    assert int(last) - int(first) + 1 == services["api"]["deploy"]["replicas"]  # a host port per replica
    assert "deploy" not in services["relay"]  # one transactional producer: a second would fence the first
