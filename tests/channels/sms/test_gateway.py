"""The SMS webhook in the real gateway: signatures, dedupe, keywords, the deadline, the
outbox through the fake Twilio API, delivery reports, with Rasa down or hanging."""

from __future__ import annotations

import time
from pathlib import Path

from starlette.testclient import TestClient

from channels.delivery import ACTIVE, DONE, DROPPED, OPTED_OUT, PENDING, SENT
from tests.channels.sms.conftest import (
    CATALOG,
    INBOUND_URL,
    STATUS_URL,
    BlackHole,
    Gateway,
    build_gateway,
    new_number,
    twiml_messages,
)
from tests.support.fake_twilio import FakeTwilio


def _wait(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


# -- authenticity -----------------------------------------------------------------------


def test_a_request_without_a_signature_is_refused_and_not_stored(gateway: Gateway) -> None:
    number = new_number()
    params = {"MessageSid": "SMnosig", "From": number, "Body": "HELP"}
    response = gateway.post(params, signature="")
    assert response.status_code == 403
    assert gateway.delivery.inbound_status("sms", "SMnosig") is None


def test_a_wrong_signature_is_refused(gateway: Gateway) -> None:
    params = {"MessageSid": "SMbadsig", "From": new_number(), "Body": "HELP"}
    assert gateway.post(params, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert gateway.delivery.inbound_status("sms", "SMbadsig") is None


def test_a_signature_over_other_parameters_is_refused(gateway: Gateway) -> None:
    params = {"MessageSid": "SMtampered", "From": new_number(), "Body": "HELP"}
    signature = gateway.twilio.sign(INBOUND_URL, params)
    tampered = {**params, "Body": "STOP"}
    assert gateway.post(tampered, signature=signature).status_code == 403


def test_a_signature_for_another_url_is_refused(gateway: Gateway) -> None:
    params = {"MessageSid": "SMotherurl", "From": new_number(), "Body": "HELP"}
    signature = gateway.twilio.sign("https://attacker.example/channels/sms", params)
    assert gateway.post(params, signature=signature).status_code == 403


def test_repeated_parameters_are_all_signed_and_accepted(gateway: Gateway) -> None:
    number = new_number()
    params = {
        "MessageSid": "SMrepeated",
        "From": number,
        "Body": "HELP",
        "MediaUrl0": ["https://a.example/1", "https://a.example/2"],
    }
    response = gateway.post(params)
    assert twiml_messages(response) == [CATALOG.text("utter_sms_help", "en")]


def test_an_oversized_request_is_refused(gateway: Gateway) -> None:
    params = {"MessageSid": "SMhuge", "From": new_number(), "Body": "x" * 40_000}
    assert gateway.post(params).status_code == 413
    assert gateway.delivery.inbound_status("sms", "SMhuge") is None


def test_the_status_callback_is_signature_checked_too(gateway: Gateway) -> None:
    params = {"MessageSid": "SMx", "MessageStatus": "failed", "ErrorCode": "21610"}
    response = gateway.post(params, signature="Zm9v", path="/channels/sms/status", url=STATUS_URL)
    assert response.status_code == 403


# -- keywords --------------------------------------------------------------------------


def test_help_is_answered_inline_in_english_and_in_french(gateway: Gateway) -> None:
    number = new_number()
    assert twiml_messages(gateway.message(number, "help")) == [CATALOG.text("utter_sms_help", "en")]
    assert twiml_messages(gateway.message(number, "AIDE")) == [CATALOG.text("utter_sms_help", "fr")]


def test_english_stop_opts_out_silently_and_nothing_is_sent_until_start(
    gateway: Gateway,
) -> None:
    number = new_number()
    assert twiml_messages(gateway.message(number, "STOP")) == []  # Twilio answers it
    assert gateway.delivery.contact_status("sms", number) == OPTED_OUT
    # A question while opted out: no answer, no "we'll answer soon", not even by REST.
    assert twiml_messages(gateway.message(number, "food bank in Surrey")) == []
    gateway.channel.worker.poll_seconds = 0.05
    time.sleep(1.0)
    assert gateway.twilio.sent_to(number) == []
    assert twiml_messages(gateway.message(number, "start")) == [
        CATALOG.text("utter_sms_started", "en")
    ]
    assert gateway.delivery.contact_status("sms", number) == ACTIVE


def test_french_arret_is_confirmed_in_french(gateway: Gateway) -> None:
    number = new_number()
    assert twiml_messages(gateway.message(number, "Arrêt")) == [
        CATALOG.text("utter_sms_stopped", "fr")
    ]
    assert gateway.delivery.contact_status("sms", number) == OPTED_OUT
    assert twiml_messages(gateway.message(number, "debut")) == [
        CATALOG.text("utter_sms_started", "fr")
    ]


def test_arabic_and_chinese_stop_words_are_confirmed_in_their_language(
    gateway: Gateway,
) -> None:
    for word, language in (("إيقاف", "ar"), ("退订", "zh")):
        number = new_number()
        assert twiml_messages(gateway.message(number, word)) == [
            CATALOG.text("utter_sms_stopped", language)
        ]


def test_stop_drops_what_was_waiting_to_be_sent(gateway: Gateway) -> None:
    number = new_number()
    gateway.delivery.enqueue("sms", number, [{"text": "old news"}])
    # The courier may not have sent it yet, or it may have; either way nothing after STOP.
    twiml_messages(gateway.message(number, "STOP"))
    statuses = {status for status, _ in gateway.delivery.outbound_for("sms", number)}
    assert statuses <= {DROPPED, SENT}
    gateway.delivery.enqueue("sms", number, [{"text": "late answer"}])
    assert gateway.delivery.outbound_for("sms", number)[-1][0] == DROPPED


# -- exactly one answer ------------------------------------------------------------------


def test_a_redelivered_message_gets_no_second_answer(gateway: Gateway) -> None:
    number = new_number()
    first = gateway.message(number, "HELP", sid="SMdup0000000000000000000000000001")
    again = gateway.message(number, "HELP", sid="SMdup0000000000000000000000000001")
    assert twiml_messages(first) == [CATALOG.text("utter_sms_help", "en")]
    assert twiml_messages(again) == []
    assert len(gateway.delivery.outbound_for("sms", number)) == 1


# -- Rasa down or hanging ----------------------------------------------------------------


def test_rasa_down_sends_one_wait_message_by_rest_and_keeps_the_question(
    gateway: Gateway,
) -> None:
    number = new_number()
    sid = "SMdown000000000000000000000000001"
    assert twiml_messages(gateway.message(number, "food bank in Surrey", sid=sid)) == []
    (wait,) = gateway.twilio.wait_for(number)
    assert wait.body == CATALOG.text("utter_sms_wait", "en")
    assert wait.status_callback == STATUS_URL
    time.sleep(1.2)  # several retries (every 0.3 s): the wait message is not repeated
    assert len(gateway.twilio.sent_to(number)) == 1
    assert gateway.delivery.inbound_status("sms", sid) == PENDING


def test_danger_is_answered_at_once_even_with_rasa_down(gateway: Gateway) -> None:
    number = new_number()
    answer = twiml_messages(gateway.message(number, "I want to kill myself"))
    assert answer == [CATALOG.text("utter_sms_emergency", "en")]


def test_a_hanging_rasa_never_holds_the_webhook_past_the_deadline(
    tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    hole = BlackHole()
    app, channel, delivery = build_gateway(tmp_path, fake_twilio, hole.port)
    try:
        with TestClient(app) as client:
            gateway = Gateway(client, channel, delivery, fake_twilio)
            number = new_number()
            response = gateway.message(number, "English classes in Burnaby")
            assert twiml_messages(response) == []  # acknowledged, answer to come by REST
            # Rasa's timeout (3 s) passes: the wait message goes out by REST, once.
            (wait,) = fake_twilio.wait_for(number, timeout=15)
            assert wait.body == CATALOG.text("utter_sms_wait", "en")
    finally:
        hole.close()


# -- the outbox and delivery reports -----------------------------------------------------


def test_a_send_refused_as_opted_out_marks_the_number(gateway: Gateway) -> None:
    number = new_number()
    gateway.twilio.opted_out.add(number)
    twiml_messages(gateway.message(number, "food bank in Surrey"))
    _wait(lambda: gateway.delivery.contact_status("sms", number) == OPTED_OUT)
    assert gateway.twilio.sent_to(number) == []


def test_a_status_report_with_21610_marks_the_number_opted_out(gateway: Gateway) -> None:
    number = new_number()
    twiml_messages(gateway.message(number, "food bank in Surrey"))
    (wait,) = gateway.twilio.wait_for(number)
    _wait(lambda: gateway.delivery.outbound_by_external_id("sms", wait.sid) is not None)
    response = gateway.post(
        {
            "MessageSid": wait.sid,
            "MessageStatus": "undelivered",
            "ErrorCode": "21610",
            "AccountSid": gateway.twilio.account_sid,
        },
        url=STATUS_URL,
        path="/channels/sms/status",
    )
    assert response.status_code == 204
    assert gateway.delivery.contact_status("sms", number) == OPTED_OUT


def test_429_and_5xx_are_retried_until_sent(gateway: Gateway) -> None:
    number = new_number()
    gateway.twilio.fail_next(429, 20429, retry_after=0.2)
    gateway.twilio.fail_next(500, 20500)
    before = gateway.twilio.attempts
    twiml_messages(gateway.message(number, "food bank in Surrey"))
    (wait,) = gateway.twilio.wait_for(number, timeout=15)
    assert wait.body == CATALOG.text("utter_sms_wait", "en")
    assert gateway.twilio.attempts - before >= 3
    # Twilio records the message before our sender reads its answer and marks it sent.
    _wait(lambda: [s for s, _ in gateway.delivery.outbound_for("sms", number)] == [SENT])


# -- WhatsApp ----------------------------------------------------------------------------


def test_whatsapp_answers_come_from_the_whatsapp_number(gateway: Gateway) -> None:
    number = "whatsapp:" + new_number()
    ours = "whatsapp:+14155238886"
    response = gateway.message(number, "food bank in Surrey", To=ours)
    assert twiml_messages(response) == []
    (wait,) = gateway.twilio.wait_for(number)
    assert wait.sender == ours
    assert twiml_messages(gateway.message(number, "STOP", To=ours)) == [
        CATALOG.text("utter_sms_stopped", "en")
    ]


# -- choices -----------------------------------------------------------------------------


def test_numbers_and_more_words_stand_for_the_last_answers_choices(gateway: Gateway) -> None:
    channel = gateway.channel
    conversation = channel.engine.conversation_id("sms", "+16045550999")
    channel.choices.save(
        conversation, {"1": '/service_details{"number":"1"}', "more": "/more_results"}
    )
    resolve = channel._resolve
    assert resolve(conversation, " 1 ", None) == '/service_details{"number":"1"}'
    for word in ("MORE", "plus", "المزيد", "更多", "xem them"):
        keyword = channel.keywords.match(word)
        assert resolve(conversation, word, keyword) == "/more_results"
    assert resolve(conversation, "7", None) == "7"
    assert resolve(conversation, "food in Surrey", None) == "food in Surrey"
    assert DONE  # the ledger's statuses are the shared ones


def test_more_sends_the_rest_of_a_long_menu_without_asking_the_assistant(
    gateway: Gateway,
) -> None:
    # Rasa is down here: the pages were rendered with the menu, MORE only fetches them.
    number = new_number()
    channel = gateway.channel
    conversation = channel.engine.conversation_id("sms", number)
    channel.choices.save(
        conversation,
        {str(n): f'/find_service{{"n":{n}}}' for n in range(1, 17)},
        ["10. Food\n11. Housing\nReply with a number, or MORE.", "12. Legal\nReply."],
    )
    assert twiml_messages(gateway.message(number, "MORE")) == [
        "10. Food\n11. Housing\nReply with a number, or MORE."
    ]
    assert twiml_messages(gateway.message(number, "más")) == ["12. Legal\nReply."]
    # The numbers of every page still stand for their choices.
    assert channel._resolve(conversation, "12", None) == '/find_service{"n":12}'
    # No page left: MORE goes to the assistant again (down: the wait message, by REST).
    assert twiml_messages(gateway.message(number, "MORE")) == []


def test_twilios_own_opt_out_keywords_are_followed(gateway: Gateway) -> None:
    number = new_number()
    response = gateway.message(number, "ENOUGH", OptOutType="STOP")
    assert twiml_messages(response) == []  # Twilio confirms its own keywords
    assert gateway.delivery.contact_status("sms", number) == OPTED_OUT
