"""The Telegram channel: webhook or long polling in, durable queue out (issue 4).

`build_telegram` wires it from the settings; `bot.wiring.build_platforms` calls it when
`TELEGRAM_BOT_TOKEN` is set. Chat ids stay inside this package and the delivery tables.
"""

from __future__ import annotations

from datetime import timedelta

from bot.settings import Settings
from channels.conversation import ConversationEngine
from channels.courier import Courier, InboundWorker
from channels.delivery import Delivery
from channels.telegram.callbacks import CallbackKeys
from channels.telegram.channel import TelegramChannel
from channels.telegram.processor import CHANNEL, TelegramProcessor
from channels.telegram.sender import TelegramSender, make_bot

__all__ = ["TelegramChannel", "build_telegram"]

POLL_TIMEOUT_S = 25


def build_telegram(
    settings: Settings, engine: ConversationEngine, delivery: Delivery
) -> TelegramChannel:
    token = settings.telegram_bot_token
    if token is None or not token.get_secret_value():
        raise ValueError("the Telegram channel needs TELEGRAM_BOT_TOKEN")
    bot = make_bot(
        token.get_secret_value(),
        settings.telegram_api_base_url,
        poll_timeout=POLL_TIMEOUT_S,
    )
    sender = TelegramSender(bot)
    callbacks = CallbackKeys(delivery.engine)
    callbacks.create_tables()
    processor = TelegramProcessor(engine, callbacks, sender.answer_callback)
    courier = Courier(delivery, CHANNEL, sender, per_recipient_interval=1.0, per_second=30.0)
    worker = InboundWorker(delivery, CHANNEL, processor, courier)
    secret = settings.telegram_webhook_secret
    return TelegramChannel(
        bot=bot,
        delivery=delivery,
        worker=worker,
        courier=courier,
        webhook_secret=secret.get_secret_value().encode() if secret else None,
        polling=settings.telegram_polling,
        poll_timeout=POLL_TIMEOUT_S,
        # One turn takes at most Rasa's timeout plus a callback answer (≤ 5 s): after
        # that the worker may take over an update whose answer a crash cut off.
        lease=timedelta(seconds=settings.rasa_timeout + 10),
    )
