"""A person writing in a language the bot does not speak gets the answer, then a machine
translation of it when a model for the pair is installed (a real, tiny argos package)."""

from __future__ import annotations

from pathlib import Path

import pytest

from channels.conversation import Answer, ConversationEngine
from channels.language import decide
from knowledge.translation import ArgosTranslator
from tests.support.tiny_argos import build_model


@pytest.fixture(scope="module")
def translator(tmp_path_factory: pytest.TempPathFactory) -> ArgosTranslator:
    translator = ArgosTranslator(tmp_path_factory.mktemp("packages"))
    translator.install_file(build_model(tmp_path_factory.mktemp("build"), "en", "ru"))
    return translator


def _engine(translator: ArgosTranslator) -> ConversationEngine:
    engine = ConversationEngine.__new__(ConversationEngine)
    engine.translator = translator
    return engine


def test_the_message_language_is_known_even_when_the_bot_does_not_speak_it() -> None:
    d = decide(
        "мне нужна работа в Ванкувере",
        supported=("en", "fr"),
        requested=None,
        preference=None,
        last=None,
    )
    assert d.code == "en" and d.written_in == "ru"


def test_answer_then_translation_for_an_unspoken_language(translator: ArgosTranslator) -> None:
    answer = Answer("c", "en", "default", messages=[{"text": "Free English classes near you."}])
    answer.written_in = "ru"
    _engine(translator)._bridge(answer)
    text = answer.messages[0]["text"]
    assert text.startswith("Free English classes near you.\n\n")
    assert len(text) > len("Free English classes near you.\n\n")
    assert answer.translated_to == "ru"


def test_no_model_for_the_pair_leaves_the_answer_as_it_is(translator: ArgosTranslator) -> None:
    answer = Answer("c", "en", "default", messages=[{"text": "Food bank in Surrey."}])
    answer.written_in = "so"
    _engine(translator)._bridge(answer)
    assert answer.messages[0]["text"] == "Food bank in Surrey."
    assert answer.translated_to is None


def test_installing_from_a_file_with_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("NAVIGATOR_TRANSLATION_DIR", str(tmp_path / "models"))
    package = build_model(tmp_path / "build", "en", "ti")
    assert main(["languages", "install-file", str(package)]) == 0
    assert main(["languages", "list"]) == 0
    assert "en → ti" in capsys.readouterr().out
