"""`navigator eval`: accuracy on held-out questions, per language, through the running stack."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot.settings import Settings

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
QUESTIONS = EVAL_DIR / "questions.yml"
UNSEEN = EVAL_DIR / "unseen_languages.yml"


def score(
    results: list[tuple[str, dict[str, Any], dict[str, Any]]], *, unseen: bool = False
) -> dict[str, dict[str, Any]]:
    """Per language: intent, category, emergency recall and reply-language accuracy."""
    table: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for language, question, answer in results:
        row = table[language]
        row["intent"].append((answer.get("intent") or {}).get("name") == question.get("intent"))
        if question.get("category"):
            wanted = question["category"]
            wanted = set(wanted) if isinstance(wanted, list) else {wanted}
            row["category"].append(bool(wanted & set(answer.get("categories") or [])))
        if question.get("emergency"):
            row["emergency"].append(bool(answer.get("emergency")))
        if not unseen:
            row["reply_language"].append(answer.get("language") == language)
    return {
        language: {
            metric: {"correct": sum(v), "total": len(v), "rate": sum(v) / len(v) if v else None}
            for metric, v in row.items()
        }
        for language, row in sorted(table.items())
    }


def run_evaluation(settings: Settings, args: argparse.Namespace) -> int:
    path = UNSEEN if getattr(args, "unseen", False) else QUESTIONS
    questions = yaml.safe_load(path.read_text(encoding="utf-8"))
    headers = {}
    if settings.admin_token:
        headers["Authorization"] = f"Bearer {settings.admin_token.get_secret_value()}"
    results = []
    with httpx.Client(
        base_url=f"http://127.0.0.1:{settings.port}", timeout=60, headers=headers
    ) as http:
        for language, items in questions.items():
            for n, question in enumerate(items):
                body = {
                    "text": question["text"],
                    "language": "auto",
                    "channel": "web",
                    "user": f"eval-{language}-{n}",
                }
                try:
                    response = http.post("/api/try", json=body)
                except httpx.HTTPError:
                    print("error: the assistant is not running; start it with 'navigator run'")
                    return 2
                results.append((language, question, response.json()))
    table = score(results, unseen=path == UNSEEN)
    if args.json:
        print(json.dumps(table, indent=2))
        return 0
    metrics = ("intent", "category", "emergency", "reply_language")
    print(f"{'lang':6}" + "".join(f"{m:>18}" for m in metrics))
    for language, row in table.items():
        cells = []
        for metric in metrics:
            cell = row.get(metric)
            cells.append(f"{cell['correct']}/{cell['total']} ({cell['rate']:.0%})" if cell else "-")
        print(f"{language:6}" + "".join(f"{c:>18}" for c in cells))
    return 0
