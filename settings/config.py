"""Every setting Momentum reads, with defaults that work on a fresh development machine."""

from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

from psycopg.conninfo import conninfo_to_dict
from pydantic import AwareDatetime, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_JWT_SECRET = "momentum-development-secret-change-me"
DEVELOPMENT_DATABASE_PASSWORD = "momentum"


class Settings(BaseSettings):
    # each setting's docstring is its description: README's table is generated from them
    model_config = SettingsConfigDict(env_prefix="MOMENTUM_", extra="ignore", use_attribute_docstrings=True)

    env: Literal["development", "test", "production"] = "development"
    """`production` accepts only RS256/ES256 tokens and refuses to start with default secrets"""
    database_url: str = "postgresql://momentum:momentum@127.0.0.1:5432/momentum"
    """PostgreSQL: the event store and the read models"""
    kafka_bootstrap: str = "127.0.0.1:9092"
    """Kafka brokers"""
    kafka_topic: str = "momentum.events"
    """the public event stream"""
    kafka_partitions: int = Field(default=6, ge=1, le=1000)
    """partitions of the topic when the relay creates it"""
    event_source: str = "urn:momentum"
    """the CloudEvents `source` of every published event"""
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    """HS256 key of development tokens (refused in production)"""
    api_host: str = "127.0.0.1"
    """where the API listens"""
    api_port: int = 8000
    """the API's port"""
    api_workers: int = Field(default=0, ge=0, le=256)
    """API processes serving the one port (`momentum api --workers N` overrides it); 0: one per CPU core"""
    consistency_wait_ms: int = Field(default=5000, ge=0, le=60000)
    """how long a query waits for its consistency token"""
    relay_batch_size: int = Field(default=1000, ge=1, le=100000)
    """most events per relay transaction"""
    relay_transaction_ms: int = Field(default=200, ge=1, le=60000)
    """a relay transaction commits once open this long even if more events wait (at once when caught up)"""
    projector_group: str = "momentum-projector"
    """the projectors' Kafka consumer group"""
    projector_batch_size: int = Field(default=2000, ge=1, le=100000)
    """events per projector transaction"""
    measurements_topic: str = "momentum.measurements"
    """the topic integrators send measurements to (docs/goals.md, docs/stream.md)"""
    measurements_group: str = "momentum-measurements"
    """the measurement consumers' Kafka consumer group"""
    measurements_poll_records: int = Field(default=500, ge=1, le=100000)
    """measurement records per consumer transaction"""
    measurements_max_batch: int = Field(default=100, ge=1, le=10000)
    """most measurements one `recordMeasurements` may carry (more: `VALIDATION`, nothing recorded)"""
    heartbeat_timeout_seconds: float = Field(default=30.0, ge=0.5, le=3600)
    """a relay, projector or awarder whose last heartbeat is older than this is down for `/readyz`"""
    stale_after_days: int = Field(default=14, ge=0, le=3650)
    """a goal without a check-in for this long is stale"""
    health_at_risk_gap: float = Field(default=10.0, ge=0, le=100)
    """a goal this many percentage points behind its cycle's pace is `AT_RISK`"""
    health_off_track_gap: float = Field(default=25.0, ge=0, le=100)
    """a goal this many percentage points behind its cycle's pace is `OFF_TRACK`"""
    health_at_risk_confidence: int = Field(default=5, ge=0, le=10)
    """a last confidence at or below this makes a goal `AT_RISK`"""
    health_off_track_confidence: int = Field(default=3, ge=0, le=10)
    """a last confidence at or below this makes a goal `OFF_TRACK`"""
    clock: AwareDatetime | None = None
    """tests only: the moment taken as now (pace, health, stale goals, due check-ins, engagement, reminders)"""
    check_in_grace_days: int = Field(default=3, ge=0, le=365)
    """a due check-in is overdue this many days after it became due"""
    reminder_interval_seconds: float = Field(default=60.0, ge=0.05, le=86400)
    """how often the reminder scheduler looks for check-ins that became due"""
    kudos_allowance: int = Field(default=100, ge=0, le=1_000_000)
    """kudos points a giver may spend per period"""
    kudos_period: Literal["week", "month", "quarter", "year"] = "month"
    """the kudos period: week, month, quarter or year"""
    kudos_recipient_cap: int = Field(default=50, ge=1, le=1_000_000)
    """points one giver may give one recipient per period"""
    level_thresholds: str = "0,50,150,300,600,1000"
    """points at which each level starts"""
    # production identity: RS256/ES256 tokens checked against a JWKS URL or a PEM public key;
    # an empty issuer or audience is not checked (refused in production)
    jwt_jwks_url: str = ""
    """production tokens: the JWKS URL their RS256/ES256 keys come from"""
    jwt_public_key: str = ""
    """production tokens: a PEM public key, instead of a JWKS URL"""
    jwt_issuer: str = ""
    """the required `iss` (not checked when empty; must be set in production)"""
    jwt_audience: str = ""
    """the required `aud` (not checked when empty; must be set in production)"""
    # GraphQL protection; introspection is off in production unless set explicitly
    graphql_introspection: bool = True
    """whether the schema may be introspected (`false` by default when `MOMENTUM_ENV=production`)"""
    graphql_max_depth: int = Field(default=12, ge=1, le=100)
    """deepest selection a GraphQL document may have"""
    graphql_max_tokens: int = Field(default=2000, ge=10, le=100000)
    """most tokens a GraphQL document may have"""
    graphql_max_aliases: int = Field(default=30, ge=1, le=1000)
    """most aliases a GraphQL document may have"""
    max_body_bytes: int = Field(default=262144, ge=1024, le=104857600)
    """larger request bodies get HTTP 413"""
    rate_limit_per_second: float = Field(default=20.0, gt=0, le=100000)
    """token bucket refill per subject, per API process"""
    rate_limit_burst: int = Field(default=60, ge=1, le=1000000)
    """token bucket size per subject, per API process"""
    max_subscriptions_per_connection: int = Field(default=20, ge=1, le=1000)
    """subscriptions on one websocket"""
    cors_origins: str = ""
    """browser origins (comma-separated, e.g. `https://okr.example.com`) that get CORS headers; none by default"""
    graphiql_assets: Literal["local", "cdn"] = "local"
    """where GraphiQL's scripts come from: `local` (the API serves them; `make install`) or `cdn` (unpkg.com)"""
    ws_init_wait_ms: int = Field(default=10000, ge=100, le=600000)
    """a websocket that sends no `connection_init` within this wait is closed (4408)"""
    # adds Query.failingResolver, which always fails: only for testing error masking
    fault_injection: bool = False
    """tests only: adds a query field that always fails"""
    log_format: Literal["json", "text"] = "json"
    """`json` lines with a request id, or `text`"""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    """log level of Momentum's own loggers"""
    kafka_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    """log level of the Kafka client library"""

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
        if self.clock is not None:
            problems.append("MOMENTUM_CLOCK is for tests only")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @model_validator(mode="after")
    def introspection_off_in_production(self) -> "Settings":
        if self.env == "production" and "graphql_introspection" not in self.model_fields_set:
            self.graphql_introspection = False
        return self

    @model_validator(mode="after")
    def check_cors_origins(self) -> "Settings":
        for origin in self.cors_origin_list:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or origin != f"{parts.scheme}://{parts.netloc}":
                raise ValueError(f"MOMENTUM_CORS_ORIGINS: {origin!r} is not an origin like https://app.example.com")
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

    @model_validator(mode="after")
    def check_health_thresholds(self) -> "Settings":
        if self.health_off_track_gap < self.health_at_risk_gap:
            raise ValueError("MOMENTUM_HEALTH_OFF_TRACK_GAP must not be below MOMENTUM_HEALTH_AT_RISK_GAP")
        if self.health_off_track_confidence > self.health_at_risk_confidence:
            raise ValueError(
                "MOMENTUM_HEALTH_OFF_TRACK_CONFIDENCE must not be above MOMENTUM_HEALTH_AT_RISK_CONFIDENCE"
            )
        return self

    def now(self) -> datetime:
        """Now: MOMENTUM_CLOCK in tests, the wall clock otherwise."""
        return self.clock or datetime.now(UTC)

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
