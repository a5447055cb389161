"""`navigator telegram set-webhook` and `navigator run --telegram-polling`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import Catalog
from bot.cli import main, parser
from bot.settings import Settings
from bot.stack import build_children
from tests.support.fake_telegram import FakeTelegram

CATALOG = Catalog.from_files()


@pytest.fixture
def telegram_env(
    monkeypatch: pytest.MonkeyPatch, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    for name, value in fake_telegram.stack_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NAVIGATOR_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://navigator.example.org/")


def test_set_webhook_registers_the_url_its_secret_and_commands_per_language(
    telegram_env: None, fake_telegram: FakeTelegram, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(fake_telegram.calls())
    assert main(["telegram", "set-webhook"]) == 0
    calls = fake_telegram.calls()[before:]
    [webhook] = [c for c in calls if c.method == "setWebhook"]
    assert webhook.params["url"] == "https://navigator.example.org/channels/telegram/webhook"
    assert webhook.params["secret_token"] == fake_telegram.secret
    assert webhook.params["allowed_updates"] == ["message", "callback_query"]
    menus = {
        c.params.get("language_code"): c.params["commands"]
        for c in calls
        if c.method == "setMyCommands"
    }
    assert [c["command"] for c in menus[None]] == ["start", "language", "help", "location"]
    assert menus["fr"][1]["description"] == CATALOG.text("utter_telegram_command_language", "fr")
    assert "ar" in menus and "prs" not in menus  # Telegram names languages with two letters
    assert "webhook: https://navigator.example.org" in capsys.readouterr().out


def test_set_webhook_needs_a_public_https_address(
    telegram_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://localhost:8000")
    assert main(["telegram", "set-webhook"]) == 2
    assert "https" in capsys.readouterr().err


def test_set_webhook_refuses_a_secret_telegram_would_refuse(
    telegram_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "not ok!")
    assert main(["telegram", "set-webhook"]) == 2
    assert "TELEGRAM_WEBHOOK_SECRET" in capsys.readouterr().err


def test_run_with_telegram_polling_starts_the_gateway_in_polling_mode(tmp_path: Path) -> None:
    args = parser().parse_args(["run", "--telegram-polling"])
    assert args.telegram_polling is True
    settings = Settings.model_validate({"NAVIGATOR_VAR_DIR": str(tmp_path)})
    for polling in (False, True):
        configured = settings.model_copy(update={"telegram_polling": polling})
        children = {c.name: c for c in build_children(configured, tmp_path / "model.tar.gz")}
        gateway = Settings.model_validate(children["gateway"].env)
        assert gateway.telegram_polling is polling
