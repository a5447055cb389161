"""SMS (and WhatsApp) through Twilio: see `docs/sms.md`.

`segments` and `compose` are pure and cheap to import (the action server uses them to fit
answers into the segment budget); everything that needs the gateway is imported inside
`build_sms`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings
    from channels.conversation import ConversationEngine
    from channels.delivery import Delivery
    from channels.sms.channel import SmsChannel, SmsOptions


def build_sms(
    settings: Settings,
    engine: ConversationEngine,
    delivery: Delivery,
    *,
    options: SmsOptions | None = None,
) -> SmsChannel:
    from channels.sms.channel import SmsChannel, SmsOptions
    from channels.sms.choices import ChoiceStore
    from channels.sms.keywords import Keywords
    from channels.sms.sender import TwilioSender
    from channels.sms.signature import SignatureCheck
    from channels.sms.webhook import STATUS_PATH

    assert settings.twilio_auth_token is not None  # sms_enabled
    token = settings.twilio_auth_token.get_secret_value()
    base = settings.public_base_url.rstrip("/")
    if options is None:
        options = SmsOptions(
            max_segments=settings.sms_max_segments, inline_seconds=settings.sms_inline_seconds
        )
    choices = ChoiceStore(delivery.engine)
    choices.create_tables()
    return SmsChannel(
        engine=engine,
        delivery=delivery,
        sender=TwilioSender(
            account_sid=settings.twilio_account_sid,
            auth_token=token,
            sender=settings.twilio_from,
            api_base_url=settings.twilio_api_base_url,
            status_callback=f"{base}{STATUS_PATH}" if base else None,
        ),
        signature=SignatureCheck(token, base),
        choices=choices,
        keywords=Keywords.load(),
        options=options,
    )
