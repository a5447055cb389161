from channels.conversation import split_reply
from channels.pseudonym import Pseudonymizer
from channels.render import as_plain_text


def test_navigator_facts_are_split_from_what_the_user_sees() -> None:
    reply = [
        {"recipient_id": "x", "text": "Here are 3 places"},
        {
            "recipient_id": "x",
            "custom": {"navigator": {"categories": ["language"], "services": [{"id": "a"}]}},
        },
        {
            "recipient_id": "x",
            "text": "Reply 1",
            "buttons": [{"title": "Details 1", "payload": "/x"}],
        },
        {
            "recipient_id": "x",
            "custom": {"navigator": {"emergency": True, "services": [{"id": "a"}, {"id": "b"}]}},
        },
    ]
    messages, facts = split_reply(reply)
    assert [m["text"] for m in messages] == ["Here are 3 places", "Reply 1"]
    assert messages[1]["buttons"] == [{"title": "Details 1", "payload": "/x"}]
    assert facts["categories"] == ["language"]
    assert facts["services"] == [{"id": "a"}, {"id": "b"}]
    assert facts["emergency"] is True


def test_plain_text_rendering_turns_buttons_into_lines() -> None:
    out = as_plain_text([{"text": "Pick one", "buttons": [{"title": "Food", "payload": "/f"}]}])
    assert out == [{"text": "Pick one\n- Food"}]


def test_pseudonyms_are_stable_keyed_and_hide_the_raw_id() -> None:
    a = Pseudonymizer(b"k" * 32)
    b = Pseudonymizer(b"j" * 32)
    assert a("sms", "+16045551234") == a("sms", "+16045551234")
    assert a("sms", "+16045551234") != b("sms", "+16045551234")
    assert a("sms", "+16045551234") != a("telegram", "+16045551234")
    assert "6045551234" not in a("sms", "+16045551234")


def test_plain_text_in_right_to_left_languages_keeps_numbers_left_to_right() -> None:
    out = as_plain_text([{"text": "اتصل على 604-555-0100 الآن"}], "ar")
    assert out == [{"text": "اتصل على \u200e604-555-0100\u200e الآن"}]
    assert as_plain_text([{"text": "Call 604-555-0100"}], "en") == [{"text": "Call 604-555-0100"}]
