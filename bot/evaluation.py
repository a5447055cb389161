"""`navigator eval`: accuracy on held-out questions, per language, through the running stack."""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot.settings import Settings

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
QUESTIONS = EVAL_DIR / "questions.yml"
# More held-out questions, one folder per round (`round2/`, `round3/`, ...), one file per
# language, each by writers who saw neither the training examples nor the other questions.
ROUNDS = "round*/*.yml"
UNSEEN = EVAL_DIR / "unseen_languages.yml"
CONCURRENCY = 4


def load_questions(
    *, unseen: bool = False, files: list[Path] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """{language: [question, ...]} from every held-out file (or the unseen languages', or
    given files: one round, or a settlement worker's own questions in the same format)."""
    if files:
        paths = list(files)
    else:
        paths = [UNSEEN] if unseen else [QUESTIONS, *sorted(EVAL_DIR.glob(ROUNDS))]
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in paths:
        for language, items in _read(path).items():
            merged.setdefault(language, []).extend(items)
    return merged


def newest_rounds(count: int = 2) -> list[Path]:
    """Each language's `count` newest round files: the ones no training choice has seen."""
    by_language: dict[str, list[tuple[int, Path]]] = {}
    for path in EVAL_DIR.glob(ROUNDS):
        number = int(path.parent.name.removeprefix("round"))
        by_language.setdefault(path.stem, []).append((number, path))
    return sorted(p for rounds in by_language.values() for _, p in sorted(rounds)[-count:])


class QuestionFileError(ValueError):
    """A question file that cannot be read or is not in the held-out format."""


def _read(path: Path) -> dict[str, list[dict[str, Any]]]:
    """{language: [{text, ...}, ...]} from one file, or a QuestionFileError saying what is
    wrong: a settlement worker's own file may be anything."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise QuestionFileError(f"{path}: cannot read it ({error.__class__.__name__})") from error
    if not isinstance(data, dict):
        raise QuestionFileError(f"{path}: expected language codes, each with a list of questions")
    for language, items in data.items():
        if not isinstance(items, list) or not all(
            isinstance(q, dict) and isinstance(q.get("text"), str) for q in items
        ):
            raise QuestionFileError(f"{path}: under {language}, every question needs a text")
    return data


def _checks(
    language: str,
    question: dict[str, Any],
    answer: dict[str, Any],
    *,
    unseen: bool,
    spoken: set[str] | None,
) -> dict[str, tuple[bool, str]]:
    """Each metric that applies to one question: (answered right, what the bot did)."""
    checks: dict[str, tuple[bool, str]] = {}
    intent = (answer.get("intent") or {}).get("name")
    checks["intent"] = (
        intent == question.get("intent"),
        f"intent {intent} (wanted {question.get('intent')})",
    )
    if question.get("category"):
        wanted = question["category"]
        wanted_set = set(wanted) if isinstance(wanted, list) else {wanted}
        categories = answer.get("categories") or []
        checks["category"] = (
            bool(wanted_set & set(categories)),
            f"categories {categories} (wanted {wanted})",
        )
    if question.get("emergency"):
        checks["emergency"] = (bool(answer.get("emergency")), "no emergency numbers")
    # Reply language counts only for languages the bot speaks.
    if not unseen and (spoken is None or language in spoken):
        checks["reply_language"] = (
            answer.get("language") == language,
            f"replied in {answer.get('language')}",
        )
    return checks


def score(
    results: list[tuple[str, dict[str, Any], dict[str, Any]]],
    *,
    unseen: bool = False,
    spoken: set[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per language: intent, category, emergency recall and reply-language accuracy."""
    table: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for language, question, answer in results:
        checks = _checks(language, question, answer, unseen=unseen, spoken=spoken)
        for metric, (right, _) in checks.items():
            table[language][metric].append(right)
    return {
        language: {
            metric: {"correct": sum(v), "total": len(v), "rate": sum(v) / len(v) if v else None}
            for metric, v in row.items()
        }
        for language, row in sorted(table.items())
    }


def misses(
    results: list[tuple[str, dict[str, Any], dict[str, Any]]],
    *,
    unseen: bool = False,
    spoken: set[str] | None = None,
) -> list[str]:
    """One line per wrong answer: what was asked, what was wanted, what the bot did."""
    lines = []
    for language, question, answer in results:
        checks = _checks(language, question, answer, unseen=unseen, spoken=spoken)
        wrong = [did for right, did in checks.values() if not right]
        if wrong:
            lines.append(f"{language}  {question['text']!r}: " + "; ".join(wrong))
    return lines


def format_table(table: dict[str, dict[str, Any]]) -> list[str]:
    """One line per language: correct/total (rate) for each measure."""
    metrics = ("intent", "category", "emergency", "reply_language")
    lines = [f"{'lang':6}" + "".join(f"{m:>18}" for m in metrics)]
    for language, row in table.items():
        cells = []
        for metric in metrics:
            cell = row.get(metric)
            cells.append(f"{cell['correct']}/{cell['total']} ({cell['rate']:.0%})" if cell else "-")
        lines.append(f"{language:6}" + "".join(f"{c:>18}" for c in cells))
    return lines


def cross_validation(settings: Settings, folds: int) -> int:
    """Rasa's own k-fold cross-validation of the NLU data; prints intent F1 per intent."""
    from bot.locales_build import build_domain
    from bot.model import rasa_bin, rasa_env

    out = settings.var_dir / "eval" / "cross-validation"
    domain = build_domain(settings.var_dir / "build" / "domain")
    done = subprocess.run(  # noqa: S603 - our own venv's binary, fixed arguments
        [
            str(rasa_bin(settings)),
            "test",
            "nlu",
            "--cross-validation",
            "--folds",
            str(folds),
            "--config",
            "config.yml",
            "--nlu",
            "bot/data",
            "--domain",
            str(domain),
            "--out",
            str(out),
        ],
        cwd=settings.project_root,
        env=rasa_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    report = out / "intent_report.json"
    if done.returncode != 0 or not report.exists():
        print(done.stdout[-2000:], done.stderr[-2000:])
        return 1
    data = json.loads(report.read_text())
    print(f"Rasa cross-validation, {folds} folds (intent F1 on held-out folds)")
    print(f"{'intent':18}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for name, row in sorted(data.items()):
        if isinstance(row, dict) and "f1-score" in row:
            print(
                f"{name:18}{row['precision']:>10.3f}{row['recall']:>10.3f}"
                f"{row['f1-score']:>10.3f}{row['support']:>10}"
            )
    return 0


def run_evaluation(settings: Settings, args: argparse.Namespace) -> int:
    if getattr(args, "cross_validation", None):
        return cross_validation(settings, args.cross_validation)
    unseen = bool(getattr(args, "unseen", False))
    try:
        files = getattr(args, "questions", None)
        newest = getattr(args, "newest", None)
        if newest is not None and newest < 1:
            raise QuestionFileError(f"--newest {newest}: give the number of rounds, 1 or more")
        if newest:
            files = newest_rounds(newest)
        questions = load_questions(unseen=unseen, files=files)
    except QuestionFileError as error:
        print(f"error: {error}")
        return 2
    headers = {}
    if settings.admin_token:
        headers["Authorization"] = f"Bearer {settings.admin_token.get_secret_value()}"
    # New users every run: a user id seen before brings its remembered language along.
    run = secrets.token_hex(4)
    jobs = [
        (language, n, question)
        for language, items in questions.items()
        for n, question in enumerate(items)
    ]
    with httpx.Client(
        base_url=f"http://127.0.0.1:{settings.port}", timeout=120, headers=headers
    ) as http:

        def ask(job: tuple[str, int, dict[str, Any]]) -> tuple[str, dict[str, Any], Any]:
            language, n, question = job
            body = {"text": question["text"], "language": "auto", "channel": "web"}
            response = http.post("/api/try", json={**body, "user": f"eval-{run}-{language}-{n}"})
            return language, question, response.json()

        try:
            # A few at a time: the stack answers concurrent users; the order of the table
            # does not depend on which answer comes first.
            with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
                results = list(pool.map(ask, jobs))
        except httpx.HTTPError:
            print("error: the assistant is not running; start it with 'navigator run'")
            return 2
    table = score(results, unseen=unseen, spoken=set(settings.languages))
    if args.json:
        print(json.dumps(table, indent=2))
        return 0
    for line in format_table(table):
        print(line)
    if getattr(args, "misses", False):
        print()
        for line in misses(results, unseen=unseen, spoken=set(settings.languages)):
            print(line)
    return 0
