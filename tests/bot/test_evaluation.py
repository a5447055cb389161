"""`navigator eval --questions FILE`: a settlement worker's own file, good or bad."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.evaluation import load_questions, run_evaluation
from bot.settings import Settings


def _eval(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    args = argparse.Namespace(questions=[path], unseen=False, json=False, cross_validation=None)
    code = run_evaluation(Settings(), args)
    return code, capsys.readouterr().out


@pytest.mark.parametrize(
    "content",
    ["fr: [oops", "- just a list", "fr: not a list", "fr:\n  - {intent: greet}", "\udcff"],
    ids=["broken yaml", "no languages", "no list", "no text", "broken encoding"],
)
def test_a_bad_question_file_gets_a_clear_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    path = tmp_path / "mine.yml"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    code, out = _eval(path, capsys)
    assert code == 2
    assert out.startswith("error: ") and str(path) in out


def test_a_missing_question_file_gets_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _eval(tmp_path / "absent.yml", capsys)
    assert code == 2 and "cannot read it" in out


def test_a_good_question_file_is_read_as_the_held_out_set_is(tmp_path: Path) -> None:
    path = tmp_path / "mine.yml"
    path.write_text(
        'fr:\n  - {text: "banque alimentaire a Surrey", intent: find_service, category: food}\n',
        encoding="utf-8",
    )
    question = {"text": "banque alimentaire a Surrey", "intent": "find_service", "category": "food"}
    assert load_questions(files=[path]) == {"fr": [question]}


def test_newest_rounds_are_each_languages_latest_and_zero_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.evaluation import newest_rounds

    files = newest_rounds(2)
    by_language: dict[str, list[int]] = {}
    for path in files:
        by_language.setdefault(path.stem, []).append(int(path.parent.name[len("round") :]))
    # Round 10 sorts after round 9, not before round 2.
    assert all(max(rounds) >= 10 and len(rounds) == 2 for rounds in by_language.values())
    args = argparse.Namespace(
        questions=None, newest=0, unseen=False, json=False, cross_validation=None
    )
    assert run_evaluation(Settings(), args) == 2
    assert "--newest 0" in capsys.readouterr().out
