"""The REST sender against the fake Twilio API over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from channels.sms.sender import TwilioSender
from tests.support.fake_twilio import FakeTwilio, fake_twilio  # noqa: F401 (fixture)


@pytest.fixture
async def sender(fake_twilio: FakeTwilio) -> AsyncIterator[TwilioSender]:  # noqa: F811
    s = TwilioSender(
        account_sid=fake_twilio.account_sid,
        auth_token=fake_twilio.auth_token,
        sender=fake_twilio.from_number,
        api_base_url=fake_twilio.base_url,
        status_callback="https://navigator.example.org/channels/sms/status",
    )
    yield s
    await s.aclose()


async def test_a_sent_message_has_twilios_sid_and_a_status_callback(
    sender: TwilioSender,
    fake_twilio: FakeTwilio,  # noqa: F811
) -> None:
    result = await sender.send("+16045550101", {"text": "Bonjour, ça va"})
    assert result.ok and result.external_id and result.external_id.startswith("SM")
    (message,) = fake_twilio.sent_to("+16045550101")
    assert message.body == "Bonjour, ça va"
    assert message.sender == fake_twilio.from_number
    assert message.status_callback == "https://navigator.example.org/channels/sms/status"


async def test_whatsapp_answers_come_from_the_number_they_wrote_to(
    sender: TwilioSender,
    fake_twilio: FakeTwilio,  # noqa: F811
) -> None:
    to = "whatsapp:+16045550102"
    result = await sender.send(to, {"text": "hi", "from": "whatsapp:+14155238886"})
    assert result.ok
    assert fake_twilio.sent_to(to)[0].sender == "whatsapp:+14155238886"


async def test_error_21610_means_opted_out(
    sender: TwilioSender,
    fake_twilio: FakeTwilio,  # noqa: F811
) -> None:
    fake_twilio.opted_out.add("+16045550103")
    result = await sender.send("+16045550103", {"text": "hi"})
    assert not result.ok and result.opted_out
    assert fake_twilio.sent_to("+16045550103") == []


async def test_429_and_5xx_are_retried_with_twilios_retry_after(
    sender: TwilioSender,
    fake_twilio: FakeTwilio,  # noqa: F811
) -> None:
    fake_twilio.fail_next(429, 20429, retry_after=7)
    fake_twilio.fail_next(503, 20503)
    first = await sender.send("+16045550104", {"text": "hi"})
    second = await sender.send("+16045550104", {"text": "hi"})
    assert not first.ok and first.retry_after == 7 and not first.permanent
    assert not second.ok and second.retry_after is None and not second.permanent
    assert (await sender.send("+16045550104", {"text": "hi"})).ok


async def test_an_invalid_number_is_not_retried(
    sender: TwilioSender,
    fake_twilio: FakeTwilio,  # noqa: F811
) -> None:
    fake_twilio.fail_next(400, 21211)
    result = await sender.send("+1604", {"text": "hi"})
    assert not result.ok and result.permanent


async def test_a_messaging_service_sid_is_sent_as_such(
    fake_twilio: FakeTwilio,  # noqa: F811
) -> None:
    s = TwilioSender(
        account_sid=fake_twilio.account_sid,
        auth_token=fake_twilio.auth_token,
        sender="MG" + "0" * 32,
        api_base_url=fake_twilio.base_url,
        status_callback=None,
    )
    try:
        assert (await s.send("+16045550105", {"text": "hi"})).ok
    finally:
        await s.aclose()
    (message,) = fake_twilio.sent_to("+16045550105")
    assert message.form["MessagingServiceSid"] == "MG" + "0" * 32
    assert "From" not in message.form and "StatusCallback" not in message.form
