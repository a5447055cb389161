"""Newcomers writing in their own language get the answer in that language."""

from __future__ import annotations

import httpx
import pytest

from bot.catalog import Catalog
from bot.languages import available_languages
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e
CATALOG = Catalog.from_files()

QUESTIONS = [
    # (language, question, category, municipality named in it)
    ("es", "necesito clases de inglés gratis en Burnaby", "language", "Burnaby"),
    ("ar", "أحتاج بنك طعام في سري", "food", "Surrey"),
    ("zh", "列治文哪里有食物银行", "food", "Richmond"),
    ("pa", "ਮੈਨੂੰ ਸਰੀ ਵਿੱਚ ਫੈਮਿਲੀ ਡਾਕਟਰ ਚਾਹੀਦਾ", "health", "Surrey"),
    ("fa", "کلاس زبان انگلیسی رایگان در برنابی", "language", "Burnaby"),
    ("ko", "버나비에서 무료 영어 수업", "language", "Burnaby"),
]


@pytest.mark.parametrize(
    ("language", "text", "category", "place"), QUESTIONS, ids=[q[0] for q in QUESTIONS]
)
def test_a_question_in_a_supported_language_is_answered_in_it(
    stack: Stack, language: str, text: str, category: str, place: str
) -> None:
    if language not in available_languages():
        pytest.skip(f"{language} has no curated texts yet")
    answer = stack.try_(text, user=f"lang-{language}")
    assert answer["language"] == language, answer
    assert category in answer["categories"], answer
    assert (answer.get("place") or {}).get("name") == place, answer
    assert answer["services"], answer
    expected = CATALOG.text(
        "utter_results_header",
        language,
        count=len(answer["services"]),
        category_name=CATALOG.text(f"utter_category_{category}", language),
        place=place,
    )
    assert answer["messages"][0]["text"] == expected


def test_right_to_left_languages_say_so_to_the_web_chat(stack: Stack) -> None:
    if "ar" not in available_languages():
        pytest.skip("Arabic has no curated texts yet")
    r = httpx.post(
        f"{stack.base_url}/chat/message",
        timeout=60,
        json={"conversation": "rtl-check-0001", "text": "مرحبا، أحتاج مساعدة", "language": "auto"},
    )
    assert r.status_code == 200
    assert (r.json()["language"], r.json()["dir"]) == ("ar", "rtl")


def test_danger_in_every_spoken_language_gets_911_first(stack: Stack) -> None:
    samples = {
        "es": "me quiero matar",
        "ar": "أريد أن أنتحر",
        "fa": "می خواهم خودکشی کنم",
        "zh": "我想自杀",
        "pa": "ਮੈਂ ਖੁਦਕੁਸ਼ੀ ਕਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ",
        "hi": "मैं आत्महत्या करना चाहता हूँ",
        "tl": "gusto ko nang magpakamatay",
        "uk": "я хочу вбити себе",
        "ko": "죽고 싶어요",
        "vi": "tôi muốn tự tử",
    }
    for language, text in samples.items():
        if language not in available_languages():
            continue
        answer = stack.try_(text, user=f"danger-{language}")
        assert answer["emergency"] is True, (language, answer)
        first = answer["messages"][0]["text"].splitlines()[0]
        assert "911" in first, (language, first)
        assert answer["language"] == language, (language, answer["language"])
