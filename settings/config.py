"""Every setting Momentum reads, with defaults that work on a fresh development machine."""

from typing import Literal

from psycopg.conninfo import conninfo_to_dict
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_JWT_SECRET = "momentum-development-secret-change-me"
DEVELOPMENT_DATABASE_PASSWORD = "momentum"


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
    # production identity: RS256/ES256 tokens checked against a JWKS URL or a PEM public key;
    # an empty issuer or audience is not checked (refused in production)
    jwt_jwks_url: str = ""
    jwt_public_key: str = ""
    jwt_issuer: str = ""
    jwt_audience: str = ""
    # GraphQL protection
    graphql_introspection: bool = True
    graphql_max_depth: int = Field(default=12, ge=1, le=100)
    graphql_max_tokens: int = Field(default=2000, ge=10, le=100000)
    graphql_max_aliases: int = Field(default=30, ge=1, le=1000)
    max_body_bytes: int = Field(default=262144, ge=1024, le=104857600)
    rate_limit_per_second: float = Field(default=20.0, gt=0, le=100000)
    rate_limit_burst: int = Field(default=60, ge=1, le=1000000)
    max_subscriptions_per_connection: int = Field(default=20, ge=1, le=1000)
    ws_init_wait_ms: int = Field(default=10000, ge=100, le=600000)
    """a websocket that sends no `connection_init` within this wait is closed (4408)"""
    # adds Query.failingResolver, which always fails: only for testing error masking
    fault_injection: bool = False
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    kafka_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"

    @property
    def accepts_development_tokens(self) -> bool:
        """HS256 tokens signed with MOMENTUM_JWT_SECRET: development and the test suite only."""
        return self.env != "production"

    @model_validator(mode="after")
    def refuse_default_secrets_in_production(self) -> "Settings":
        if self.env != "production":
            return self
        problems = []
        if not (self.jwt_jwks_url or self.jwt_public_key):
            problems.append("MOMENTUM_JWT_JWKS_URL or MOMENTUM_JWT_PUBLIC_KEY must be set (HS256 is refused)")
        if not (self.jwt_issuer and self.jwt_audience):
            problems.append("MOMENTUM_JWT_ISSUER and MOMENTUM_JWT_AUDIENCE must be set")
        if self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            problems.append("MOMENTUM_JWT_SECRET must not be the development secret")
        if conninfo_to_dict(self.database_url).get("password") == DEVELOPMENT_DATABASE_PASSWORD:
            problems.append("MOMENTUM_DATABASE_URL must not use the development password")
        if self.fault_injection:
            problems.append("MOMENTUM_FAULT_INJECTION is for tests only")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
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
            "AGGREGATE_CACHE_MAXSIZE": "5000",
            "CREATE_TABLE": "y",
        }
