"""The one settings object, read from the environment or `.env` at start-up."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything configurable. Build once in `bot.cli`, then pass it down."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    host: str = Field("127.0.0.1", validation_alias="NAVIGATOR_HOST")
    port: int = Field(8000, validation_alias="NAVIGATOR_PORT")
    rasa_port: int = Field(5005, validation_alias="NAVIGATOR_RASA_PORT")
    actions_port: int = Field(5055, validation_alias="NAVIGATOR_ACTIONS_PORT")
    database_url: str = Field("", validation_alias="DATABASE_URL")
    tracker_store_url: str = Field("", validation_alias="NAVIGATOR_TRACKER_STORE_URL")
    admin_token: SecretStr | None = Field(None, validation_alias="NAVIGATOR_ADMIN_TOKEN")
    pseudonym_key: SecretStr | None = Field(None, validation_alias="NAVIGATOR_PSEUDONYM_KEY")
    # Shared by the gateway and Rasa's HTTP API; `navigator run` makes a fresh one per start.
    rasa_token: SecretStr | None = Field(None, validation_alias="NAVIGATOR_RASA_TOKEN")
    rasa_venv: Path = Field(PROJECT_ROOT / ".venv" / "rasa", validation_alias="NAVIGATOR_RASA_VENV")
    var_dir: Path = Field(PROJECT_ROOT / "var", validation_alias="NAVIGATOR_VAR_DIR")
    seed_dir: Path = Field(
        PROJECT_ROOT / "knowledge" / "seed" / "metro-vancouver",
        validation_alias="NAVIGATOR_SEED_DIR",
    )
    models_path: Path | None = Field(None, validation_alias="NAVIGATOR_MODELS_DIR")
    translation_path: Path | None = Field(None, validation_alias="NAVIGATOR_TRANSLATION_DIR")
    default_language: str = Field("en", validation_alias="NAVIGATOR_DEFAULT_LANGUAGE")
    # Empty: every language of bot/languages.yml that has texts and training examples.
    language_list: tuple[str, ...] = Field((), validation_alias="NAVIGATOR_LANGUAGES")
    # Seconds the gateway waits for Rasa before it gives the user a polite "try again".
    rasa_timeout: float = Field(20.0, validation_alias="NAVIGATOR_RASA_TIMEOUT")
    max_message_chars: int = Field(1000, validation_alias="NAVIGATOR_MAX_MESSAGE_CHARS")

    # The public https address the platforms call (webhooks, Twilio's signature base).
    public_base_url: str = Field("", validation_alias="PUBLIC_BASE_URL")

    # Telegram: on when the token is set.
    telegram_bot_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_webhook_secret: SecretStr | None = Field(
        None, validation_alias="TELEGRAM_WEBHOOK_SECRET"
    )
    telegram_api_base_url: str = Field(
        "https://api.telegram.org", validation_alias="TELEGRAM_API_BASE_URL"
    )
    # Long polling instead of the webhook (a developer without a public URL).
    telegram_polling: bool = Field(False, validation_alias="NAVIGATOR_TELEGRAM_POLLING")

    # SMS through Twilio: on when the account SID and auth token are set.
    twilio_account_sid: str = Field("", validation_alias="TWILIO_ACCOUNT_SID")
    twilio_auth_token: SecretStr | None = Field(None, validation_alias="TWILIO_AUTH_TOKEN")
    twilio_from: str = Field("", validation_alias="TWILIO_FROM")  # a number or "MG..." SID
    twilio_api_base_url: str = Field(
        "https://api.twilio.com", validation_alias="TWILIO_API_BASE_URL"
    )
    sms_max_segments: int = Field(3, validation_alias="NAVIGATOR_SMS_MAX_SEGMENTS")
    # How long the SMS webhook waits for the answer to send it back inline (TwiML); later
    # answers go by the REST API. Twilio gives up on a webhook after 15 s.
    sms_inline_seconds: float = Field(
        5.0, ge=0.5, le=10.0, validation_alias="NAVIGATOR_SMS_INLINE_SECONDS"
    )

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None and bool(
            self.telegram_bot_token.get_secret_value()
        )

    @property
    def sms_enabled(self) -> bool:
        return bool(self.twilio_account_sid) and self.twilio_auth_token is not None

    @property
    def languages(self) -> tuple[str, ...]:
        from bot.languages import available_languages

        available = available_languages()
        return tuple(c for c in self.language_list if c in available) or available

    @property
    def project_root(self) -> Path:
        return PROJECT_ROOT

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'navigator.db'}"

    @property
    def tracker_url(self) -> str:
        return self.tracker_store_url or f"sqlite:///{self.var_dir / 'tracker.db'}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def translation_dir(self) -> Path:
        """Where argostranslate packages are installed (`navigator languages install-file`)."""
        return self.translation_path or self.var_dir / "translation-models"

    @property
    def models_dir(self) -> Path:
        return self.models_path or self.var_dir / "models"

    def secret_key(self) -> bytes:
        """The pseudonym key: from the environment, else a random one kept in var/ (mode 600)."""
        if self.pseudonym_key is not None:
            return self.pseudonym_key.get_secret_value().encode()
        path = self.var_dir / "pseudonym.key"
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_hex(32))
        return path.read_text().strip().encode()
