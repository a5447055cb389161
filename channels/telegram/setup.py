"""`navigator telegram set-webhook`: tell Telegram where to post updates, and the commands.

The webhook is registered with its secret (Telegram sends it back in
`X-Telegram-Bot-Api-Secret-Token`) and only the update kinds we answer. The command menu
is set once without a language (English, every app) and once per language Telegram can
name (two-letter codes), so a user sees "/language" described in their app's language.
"""

from __future__ import annotations

import re

from telegram import Bot, BotCommand

from bot.catalog import Catalog
from channels.telegram.polling import ALLOWED_UPDATES
from channels.telegram.webhook import PATH

COMMANDS = ("start", "language", "help", "location")


# What Telegram accepts as a webhook's secret_token.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SetupError(Exception):
    """A setting is missing or Telegram refused."""


def valid_secret(secret: str) -> bool:
    return bool(_SECRET.match(secret))


def webhook_url(public_base_url: str) -> str:
    if not public_base_url.startswith("https://"):
        # Telegram posts to https only (ports 443, 80, 88, 8443).
        raise SetupError("PUBLIC_BASE_URL must be the gateway's public https:// address")
    return public_base_url.rstrip("/") + PATH


def commands(catalog: Catalog, language: str) -> list[BotCommand]:
    return [
        BotCommand(name, catalog.text(f"utter_telegram_command_{name}", language)[:256])
        for name in COMMANDS
    ]


async def register(
    bot: Bot,
    *,
    url: str,
    secret: str,
    catalog: Catalog,
    languages: tuple[str, ...],
    default_language: str = "en",
) -> list[str]:
    """Register the webhook and the command menus; what was done, one line each."""
    done: list[str] = []
    async with bot:
        await bot.set_webhook(url=url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES))
        done.append(f"webhook: {url}")
        await bot.set_my_commands(commands(catalog, default_language))
        done.append(f"commands: default ({default_language})")
        for code in languages:
            if len(code) != 2:  # Telegram's language_code is ISO 639-1 (no "prs")
                continue
            await bot.set_my_commands(commands(catalog, code), language_code=code)
            done.append(f"commands: {code}")
    return done
