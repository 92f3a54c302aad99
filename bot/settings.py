"""Settings from the environment (and an optional `.env`): the names here are the public interface.

A bad value becomes one line naming the variable and what is wrong (`SettingsError`), never a
traceback; secrets are `SecretStr` so they cannot be printed by accident.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from billing_adapters.redaction import redact

from .core.admins import parse_admins
from .core.breakeven import DEFAULT_PROFILE, PROFILES, AssumptionError, resolve
from .core.breakeven.assumptions import parse_pairs
from .core.clock import parse_as_of
from .core.digest_period import parse_cadence
from .core.fx import FxRates, parse_rates
from .core.money import Display
from .db.credentials import database_password
from .errors import AicostError

__all__ = [
    "Settings",
    "SettingsError",
    "load_settings",
    "parse_pairs",
    "parse_weekly",
    "problems",
]


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekly(text: str) -> tuple[str, int, int]:
    """'mon 09:00' as (day of week, hour, minute); ValueError says what is wrong."""
    parts = text.lower().split()
    try:
        day, clock = parts
        hour, minute = (int(n) for n in clock.split(":"))
        if day[:3] not in WEEKDAYS or not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ValueError(f"{text!r} is not a weekly time like 'mon 09:00'") from None
    return day[:3], hour, minute


class SettingsError(AicostError):
    """One or more settings are invalid; the message has one line per bad variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
        case_sensitive=False,
    )

    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{Path.cwd() / 'aicost.db'}", alias="DATABASE_URL"
    )

    openai_admin_key: SecretStr | None = Field(default=None, alias="OPENAI_ADMIN_KEY")
    openai_base_url: str = Field(default="https://api.openai.com/v1", alias="OPENAI_BASE_URL")
    anthropic_admin_key: SecretStr | None = Field(default=None, alias="ANTHROPIC_ADMIN_KEY")
    anthropic_base_url: str = Field(default="https://api.anthropic.com", alias="ANTHROPIC_BASE_URL")
    openrouter_management_key: SecretStr | None = Field(
        default=None, alias="OPENROUTER_MANAGEMENT_KEY"
    )
    openrouter_base_url: str = Field(
        default="https://openrouter.ai/api/v1", alias="OPENROUTER_BASE_URL"
    )
    # AWS Bedrock through Cost Explorer, with boto3's standard credential chain (no key here).
    aws_bedrock: bool = Field(default=False, alias="AICOST_AWS_BEDROCK")
    aws_profile: str | None = Field(default=None, alias="AICOST_AWS_PROFILE")
    aws_endpoint_url: str | None = Field(default=None, alias="AICOST_AWS_ENDPOINT_URL")
    # Azure OpenAI / AI Foundry through Cost Management: a scope turns it on; the identity is a
    # client secret when one is set, else azure-identity's default chain (managed identity, ...).
    azure_scope: str | None = Field(default=None, alias="AICOST_AZURE_SCOPE")
    azure_tenant_id: str | None = Field(default=None, alias="AICOST_AZURE_TENANT_ID")
    azure_client_id: str | None = Field(default=None, alias="AICOST_AZURE_CLIENT_ID")
    azure_client_secret: SecretStr | None = Field(default=None, alias="AICOST_AZURE_CLIENT_SECRET")
    azure_base_url: str = Field(
        default="https://management.azure.com", alias="AICOST_AZURE_BASE_URL"
    )
    # Vertex AI / Gemini API through the Cloud Billing export: the export table turns it on.
    gcp_billing_table: str | None = Field(default=None, alias="AICOST_GCP_BILLING_TABLE")
    gcp_project: str | None = Field(default=None, alias="AICOST_GCP_PROJECT")
    gcp_endpoint_url: str | None = Field(default=None, alias="AICOST_GCP_ENDPOINT_URL")
    gcp_services_raw: str = Field(
        default="Vertex AI,Generative Language API,Gemini API", alias="AICOST_GCP_SERVICES"
    )
    azure_services_raw: str = Field(
        default="Cognitive Services,Foundry Models,Azure OpenAI", alias="AICOST_AZURE_SERVICES"
    )

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    # Socket Mode: a file serve touches while connected, for `aicost healthcheck` (containers).
    liveness_file: Path | None = Field(default=None, alias="AICOST_LIVENESS_FILE")
    port: int = Field(default=3000, ge=1, le=65535, alias="PORT")
    host: str = Field(default="0.0.0.0", alias="AICOST_HOST")

    alert_channel: str | None = Field(default=None, alias="AICOST_ALERT_CHANNEL")
    digest_channel: str | None = Field(default=None, alias="AICOST_DIGEST_CHANNEL")
    monthly_budget_usd: Decimal | None = Field(
        default=None, gt=0, max_digits=14, decimal_places=2, alias="AICOST_MONTHLY_BUDGET_USD"
    )
    timezone: str = Field(default="UTC", alias="AICOST_TIMEZONE")
    # Pins the clock for every command (serve included), like a read command's --as-of.
    as_of: str | None = Field(default=None, alias="AICOST_AS_OF")

    stripe_api_key: SecretStr | None = Field(default=None, alias="STRIPE_API_KEY")
    stripe_base_url: str = Field(default="https://api.stripe.com/v1", alias="STRIPE_BASE_URL")
    admins_raw: str = Field(default="", alias="AICOST_ADMINS")
    breakeven_raw: str = Field(default="", alias="AICOST_BREAKEVEN")
    breakeven_profile: str = Field(default=DEFAULT_PROFILE, alias="AICOST_BREAKEVEN_PROFILE")
    scheduler_enabled: bool = Field(default=True, alias="AICOST_SCHEDULER")
    # How often the scheduler looks at what is due, and a standby replica at whether the leader
    # is gone: a takeover waits at most about this long.
    scheduler_tick_seconds: int = Field(
        default=60, ge=1, le=3600, alias="AICOST_SCHEDULER_TICK_SECONDS"
    )
    sync_every_hours: Decimal = Field(
        default=Decimal(6), gt=0, le=168, alias="AICOST_SYNC_EVERY_HOURS"
    )
    digest_schedule: str = Field(default="mon 09:00", alias="AICOST_DIGEST_SCHEDULE")
    # weekly (default), daily or monthly; or per channel: "C123=daily, C456=monthly"
    digest_cadence_raw: str = Field(default="weekly", alias="AICOST_DIGEST_CADENCE")
    spike_factor: Decimal = Field(default=Decimal(3), gt=1, alias="AICOST_SPIKE_FACTOR")
    spike_floor_usd: Decimal = Field(default=Decimal(50), ge=0, alias="AICOST_SPIKE_FLOOR_USD")
    stale_after_hours: Decimal = Field(
        default=Decimal(24), gt=0, le=720, alias="AICOST_STALE_AFTER_HOURS"
    )
    max_spend_share: Decimal | None = Field(
        default=None, gt=0, le=1, alias="AICOST_MAX_SPEND_SHARE"
    )
    # US dollars per unit of each other currency a bill comes in: "EUR=1.0841, GBP=1.2702".
    fx_rates_raw: str = Field(default="", alias="AICOST_FX_RATES")
    # The currency people read figures in; any but USD needs its rate in AICOST_FX_RATES.
    currency: str = Field(default="USD", alias="AICOST_CURRENCY")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a known IANA time zone (e.g. Europe/Berlin)"
            ) from None
        return value

    @field_validator("as_of")
    @classmethod
    def _as_of_moment(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            parse_as_of(value, ZoneInfo(info.data.get("timezone") or "UTC"))
        return value

    @field_validator("digest_schedule")
    @classmethod
    def _digest_schedule(cls, value: str) -> str:
        parse_weekly(value)
        return value

    @field_validator("digest_cadence_raw")
    @classmethod
    def _digest_cadence(cls, value: str) -> str:
        parse_cadence(value, None)
        return value

    @field_validator("fx_rates_raw")
    @classmethod
    def _fx_rates(cls, value: str) -> str:
        parse_rates(value)
        return value

    @field_validator("currency")
    @classmethod
    def _display_currency(cls, value: str, info: ValidationInfo) -> str:
        code = value.strip().upper()
        if len(code) != 3 or not (code.isascii() and code.isalpha()):
            raise ValueError(f"{value!r} is not a currency code (e.g. EUR)")
        if code != "USD":
            try:
                rates = parse_rates(info.data.get("fx_rates_raw") or "")
            except ValueError:
                rates = {}  # AICOST_FX_RATES says what is wrong with itself
            if code not in rates:
                raise ValueError(
                    f"{code} needs its rate: set AICOST_FX_RATES={code}=<US dollars per 1 {code}>"
                )
        return code

    @field_validator("breakeven_profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        if value not in PROFILES:
            raise ValueError(f"{value!r} is not a profile; choose one of {', '.join(PROFILES)}")
        return value

    @field_validator("breakeven_raw")
    @classmethod
    def _assumptions(cls, value: str) -> str:
        try:
            resolve(DEFAULT_PROFILE, ("AICOST_BREAKEVEN", parse_pairs(value)))
        except AssumptionError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator(
        "openai_base_url",
        "anthropic_base_url",
        "openrouter_base_url",
        "azure_base_url",
        "slack_api_url",
        "stripe_base_url",
    )
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with http:// or https://")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def as_of_moment(self) -> datetime | None:
        """AICOST_AS_OF as a UTC moment, or None for the wall clock."""
        return None if self.as_of is None else parse_as_of(self.as_of, self.tz)

    @property
    def admins(self) -> frozenset[str]:
        """Slack user ids allowed to change things from Slack (see `bot.core.admins`)."""
        return parse_admins(self.admins_raw)

    @property
    def gcp_services(self) -> list[str]:
        return [name.strip() for name in self.gcp_services_raw.split(",") if name.strip()]

    @property
    def azure_services(self) -> list[str]:
        return [name.strip() for name in self.azure_services_raw.split(",") if name.strip()]

    @property
    def configured_sources(self) -> list[str]:
        """The billing sources these settings turn on, by the names `bot.runtime.wiring`
        registers them under (a test keeps the two in step). Plain reads of the settings, so
        `status` learns which sources to expect without building one (or importing an SDK)."""
        turned_on = {
            "openai": self.openai_admin_key is not None,
            "anthropic": self.anthropic_admin_key is not None,
            "openrouter": self.openrouter_management_key is not None,
            "aws-bedrock": bool(self.aws_bedrock),
            "azure": bool(self.azure_scope),
            "gcp-vertex": bool(self.gcp_billing_table),
        }
        return [name for name, on in turned_on.items() if on]

    @property
    def display(self) -> Display | None:
        """The display currency for people's output; None: US dollars."""
        if self.currency == "USD":
            return None
        return Display(self.currency, parse_rates(self.fx_rates_raw)[self.currency])

    @property
    def fx(self) -> FxRates:
        """The rates bills in other currencies are converted at (`bot.core.fx`)."""
        return FxRates(parse_rates(self.fx_rates_raw))

    @property
    def digest_cadences(self) -> dict[str, str]:
        """{channel: weekly|daily|monthly} for every channel that gets a digest."""
        return parse_cadence(self.digest_cadence_raw, self.digest_channel)

    @property
    def breakeven_overrides(self) -> dict[str, str]:
        return parse_pairs(self.breakeven_raw)

    def secret_values(self) -> list[str]:
        """Every configured secret, so error texts can be scrubbed of them."""
        secrets = (
            self.openai_admin_key,
            self.anthropic_admin_key,
            self.openrouter_management_key,
            self.azure_client_secret,
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.stripe_api_key,
        )
        password = database_password(self.database_url)  # DATABASE_URL's, however malformed
        return [s.get_secret_value() for s in secrets if s is not None] + (
            [password] if password else []
        )


def _describe(error: dict) -> tuple[str, str]:
    field = str(error["loc"][0]) if error["loc"] else "?"
    alias = Settings.model_fields[field].alias if field in Settings.model_fields else field
    message = str(error["msg"]).removeprefix("Value error, ")
    if error.get("type") == "int_parsing" or error.get("type") == "decimal_parsing":
        message = f"{error.get('input')!r} is not a number"
    # A key pasted into the wrong variable must not be printed back in the error about it.
    return alias or field, redact(message)


def problems(exc: ValidationError) -> dict[str, str]:
    """{variable: what is wrong with it}, one per bad variable, as `SettingsError` says them."""
    found: dict[str, str] = {}
    for error in exc.errors():
        name, message = _describe(error)
        found.setdefault(name, message)
    return found


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation failures into a `SettingsError` with one line each."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [f"{name}: {message}" for name, message in problems(exc).items()]
        raise SettingsError("\n".join(lines)) from None
