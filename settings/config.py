"""Every setting Momentum reads, with defaults that work on a fresh development machine."""

from typing import Literal

from psycopg.conninfo import conninfo_to_dict
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_JWT_SECRET = "momentum-development-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOMENTUM_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "postgresql://momentum:momentum@127.0.0.1:5432/momentum"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_topic: str = "momentum.events"
    kafka_partitions: int = Field(default=6, ge=1, le=1000)
    event_source: str = "urn:momentum"
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    consistency_wait_ms: int = Field(default=5000, ge=0, le=60000)
    relay_batch_size: int = Field(default=1000, ge=1, le=100000)
    projector_group: str = "momentum-projector"
    projector_batch_size: int = Field(default=2000, ge=1, le=100000)
    stale_after_days: int = Field(default=14, ge=0, le=3650)
    kudos_allowance: int = Field(default=100, ge=0, le=1_000_000)
    kudos_period: Literal["week", "month", "quarter", "year"] = "month"
    kudos_recipient_cap: int = Field(default=50, ge=1, le=1_000_000)
    level_thresholds: str = "0,50,150,300,600,1000"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    kafka_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"

    @model_validator(mode="after")
    def refuse_default_secret_in_production(self) -> "Settings":
        if self.env == "production" and self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            raise ValueError("MOMENTUM_JWT_SECRET must be set in production")
        return self

    @model_validator(mode="after")
    def check_level_thresholds(self) -> "Settings":
        try:
            values = [int(v) for v in self.level_thresholds.split(",")]
        except ValueError:
            raise ValueError("MOMENTUM_LEVEL_THRESHOLDS must be comma-separated whole numbers") from None
        if values != sorted(set(values)) or values[0] != 0:
            raise ValueError("MOMENTUM_LEVEL_THRESHOLDS must start at 0 and increase")
        return self

    def eventsourcing_env(self) -> dict[str, str]:
        """The PostgreSQL persistence settings of the eventsourcing library."""
        parts = conninfo_to_dict(self.database_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": str(parts.get("dbname", "momentum")),
            "POSTGRES_HOST": str(parts.get("host", "127.0.0.1")),
            "POSTGRES_PORT": str(parts.get("port", "5432")),
            "POSTGRES_USER": str(parts.get("user", "momentum")),
            "POSTGRES_PASSWORD": str(parts.get("password", "")),
            "POSTGRES_CONNECT_TIMEOUT": "1",  # the library retries 10 times: ~12 s at worst
            "POSTGRES_POOL_SIZE": "10",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_PRE_PING": "y",
            "CREATE_TABLE": "y",
        }
