"""Character n-grams per script: the words of our languages, beside e5's meaning.

multilingual-e5-small carries meaning across languages but blurs dialect words and
transliterated English ("كورس انقلش", "ਲਾਇਰ", "dombale otagh"). A logistic regression on
character 2-4-grams, one per script, learns them from our own examples. Its probabilities
are mixed into e5's in proportion to how many of the message's words that script's
examples contain: a message in a language we have no examples for (Urdu in Arabic letters,
Russian in Cyrillic, Somali in Latin) keeps e5's answer.

Measured by 5-fold cross-validation on the training examples (bench/category_cv.py,
docs/nlu.md): category accuracy 0.818 → 0.855 (Arabic 0.749 → 0.821, Punjabi 0.732 →
0.800), intent 0.887 → 0.912, and fewer small-talk examples taken for service requests
(196 → 83 of 4,974). One model for all scripts lost 0.2 points: n-grams then swamp the
cross-lingual signal of scripts with few examples.

Training needs scikit-learn (the Rasa runtime has it); prediction needs only numpy, and the
model is kept as plain arrays and JSON, no pickles.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from nlu.text import fold, main_script

NGRAM_SIZES = (2, 3, 4)
# A script with fewer examples than this gets no model: e5 alone knows it better.
MIN_EXAMPLES = 200


def ngrams(text: str) -> List[str]:
    """Character n-grams inside each folded word, the word padded with a space each side
    (so "ਲਾਇਰ" gives " ਲ", "ਰ ", ...: beginnings and endings count)."""
    grams: List[str] = []
    for word in fold(text).split():
        padded = f" {word} "
        for n in NGRAM_SIZES:
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def script_of(text: str) -> str:
    return main_script(text) or ""


class ScriptModel:
    """A logistic regression on sublinear TF-IDF n-gram vectors of one script's examples."""

    def __init__(
        self,
        vocabulary: Dict[str, int],
        idf: np.ndarray,
        weights: np.ndarray,
        bias: np.ndarray,
        labels: List[str],
        words: Sequence[str],
    ) -> None:
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float32)
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.labels = labels
        self.words = frozenset(words)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], c: float) -> "ScriptModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=2)
        matrix = vectorizer.fit_transform(texts)
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        model.fit(matrix, np.asarray(labels))
        weights, bias = model.coef_, model.intercept_
        if weights.shape[0] == 1:  # two labels: sklearn keeps one row, for the second
            weights, bias = np.vstack([-weights, weights]), np.concatenate([-bias, bias])
        return cls(
            {str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
            vectorizer.idf_,
            weights,
            bias,
            [str(x) for x in model.classes_],
            sorted({w for t in texts for w in fold(t).split()}),
        )

    def _sparse(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The nonzero entries of the training vectorizer's vector: (1 + log tf) × idf,
        unit length (a message has a few dozen n-grams of tens of thousands)."""
        counts = Counter(g for g in ngrams(text) if g in self.vocabulary)
        indices = np.fromiter((self.vocabulary[g] for g in counts), dtype=np.int64)
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float32)
        values = tf * self.idf[indices]
        norm = float(np.linalg.norm(values))
        return indices, values / norm if norm else values

    def probabilities(self, text: str) -> Dict[str, float]:
        indices, values = self._sparse(text)
        z = self.weights[:, indices] @ values + self.bias
        p = np.exp(z - z.max())
        p = p / p.sum()
        return {label: float(v) for label, v in zip(self.labels, p, strict=True)}

    def coverage(self, text: str) -> float:
        """The share of the text's words that this script's examples contain."""
        words = fold(text).split()
        return sum(w in self.words for w in words) / len(words) if words else 0.0

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "idf.npy", self.idf, allow_pickle=False)
        np.save(directory / "weights.npy", self.weights, allow_pickle=False)
        np.save(directory / "bias.npy", self.bias, allow_pickle=False)
        vocabulary = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        meta = {"vocabulary": vocabulary, "labels": self.labels, "words": sorted(self.words)}
        (directory / "model.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, directory: Path) -> "ScriptModel":
        meta = json.loads((directory / "model.json").read_text("utf-8"))
        return cls(
            {gram: i for i, gram in enumerate(meta["vocabulary"])},
            np.load(directory / "idf.npy", allow_pickle=False),
            np.load(directory / "weights.npy", allow_pickle=False),
            np.load(directory / "bias.npy", allow_pickle=False),
            meta["labels"],
            meta["words"],
        )


class ScriptNgrams:
    """One `ScriptModel` per script with enough examples; mixes its view into e5's."""

    def __init__(self, models: Dict[str, ScriptModel], weight: float) -> None:
        self.models = models
        self.weight = weight

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        c: float,
        weight: float,
        min_examples: int = MIN_EXAMPLES,
    ) -> "ScriptNgrams":
        by_script: Dict[str, List[int]] = {}
        for i, text in enumerate(texts):
            by_script.setdefault(script_of(text), []).append(i)
        models = {}
        for script, rows in sorted(by_script.items()):
            if script and len(rows) >= min_examples and len({labels[i] for i in rows}) > 1:
                models[script] = ScriptModel.fit(
                    [texts[i] for i in rows], [labels[i] for i in rows], c
                )
        return cls(models, weight)

    def mix(self, text: str, ranking: Sequence[tuple[str, float]]) -> List[tuple[str, float]]:
        """e5's ranking with this script's n-gram probabilities mixed in, best first."""
        model = self.models.get(script_of(text))
        share = self.weight * model.coverage(text) if model else 0.0
        if model is None or share <= 0.0:
            return list(ranking)
        lexical = model.probabilities(text)
        mixed = [(label, (1 - share) * p + share * lexical.get(label, 0.0)) for label, p in ranking]
        return sorted(mixed, key=lambda item: -item[1])

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "scripts.json").write_text(
            json.dumps({"weight": self.weight, "scripts": sorted(self.models)})
        )
        for script, model in self.models.items():
            model.save(directory / script.lower())

    @classmethod
    def load(cls, directory: Path) -> Optional["ScriptNgrams"]:
        index = directory / "scripts.json"
        if not index.exists():
            return None
        meta = json.loads(index.read_text())
        models = {s: ScriptModel.load(directory / s.lower()) for s in meta["scripts"]}
        return cls(models, float(meta["weight"]))
