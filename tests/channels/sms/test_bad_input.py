"""Signed but odd messages: a polite answer or a 4xx, never a 500, nothing lost."""

from __future__ import annotations

import pytest

from tests.channels.sms.conftest import CATALOG, Gateway, new_number, twiml_messages


def test_an_empty_message_gets_asked_for_a_question(gateway: Gateway) -> None:
    replies = twiml_messages(gateway.message(new_number(), ""))
    assert replies == [CATALOG.text("utter_input_empty", "en")]


@pytest.mark.parametrize(
    "text", ["\u202e\u0000<script>alert(1)</script>", "\ud7ff\u200f\u2066 \x07", "%ZZ%%"]
)
def test_control_bidi_and_markup_get_a_polite_answer(gateway: Gateway, text: str) -> None:
    response = gateway.message(new_number(), text)
    assert response.status_code == 200
    for reply in twiml_messages(response):
        assert "<script>" not in reply


def test_a_signed_post_without_sender_or_id_is_a_4xx(gateway: Gateway) -> None:
    assert gateway.post({"Body": "HELP"}).status_code in (400, 422)
