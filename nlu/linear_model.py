"""A multinomial logistic regression kept as plain arrays: fast to train on thousands of
e5 vectors, calibrated probabilities, and no pickles in the model archive. `E5AndNgrams`
puts the per-script character n-gram models (`nlu.char_ngrams`) beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Mapping, Optional, Sequence, Tuple

import numpy as np
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

from nlu.char_ngrams import ScriptNgrams


class LinearModel:
    def __init__(self, weights: np.ndarray, bias: np.ndarray, labels: List[str]) -> None:
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.labels = labels

    @classmethod
    def fit(
        cls, rows: Sequence[np.ndarray], labels: Sequence[str], c: float
    ) -> Optional["LinearModel"]:
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 2:
            return None
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        model.fit(np.stack(rows), np.asarray(labels))
        return cls(model.coef_, model.intercept_, [str(x) for x in model.classes_])

    def rank(self, vector: np.ndarray) -> List[Tuple[str, float]]:
        """Labels with probabilities, best first."""
        z = self.weights @ vector + self.bias
        z = z - z.max()
        p = np.exp(z)
        p = p / p.sum()
        order = np.argsort(-p)
        return [(self.labels[i], float(p[i])) for i in order]

    def save(self, directory: Path) -> None:
        np.save(directory / "weights.npy", self.weights, allow_pickle=False)
        np.save(directory / "bias.npy", self.bias, allow_pickle=False)
        (directory / "labels.json").write_text(json.dumps(self.labels))

    @classmethod
    def load(cls, directory: Path) -> "LinearModel":
        return cls(
            np.load(directory / "weights.npy", allow_pickle=False),
            np.load(directory / "bias.npy", allow_pickle=False),
            json.loads((directory / "labels.json").read_text()),
        )


class E5AndNgrams:
    """The e5 logistic regression, with the n-gram model of the message's script mixed in."""

    def __init__(self, e5: LinearModel, ngrams: Optional[ScriptNgrams]) -> None:
        self.e5 = e5
        self.ngrams = ngrams

    @classmethod
    def fit(
        cls,
        rows: Sequence[np.ndarray],
        texts: Sequence[str],
        labels: Sequence[str],
        config: Mapping[str, Any],
    ) -> Optional["E5AndNgrams"]:
        """`config`: the component's C, ngram_C and ngram_weight (0: no n-grams)."""
        e5 = LinearModel.fit(rows, labels, float(config["C"]))
        if e5 is None:
            return None
        weight = float(config["ngram_weight"])
        ngrams = (
            ScriptNgrams.fit(texts, labels, float(config["ngram_C"]), weight) if weight else None
        )
        return cls(e5, ngrams)

    def rank(self, vector: np.ndarray, text: str) -> List[Tuple[str, float]]:
        ranking = self.e5.rank(vector)
        return self.ngrams.mix(text, ranking) if self.ngrams else ranking

    def store(self, storage: ModelStorage, resource: Resource) -> None:
        with storage.write_to(resource) as directory:
            self.e5.save(directory)
            if self.ngrams is not None:
                self.ngrams.save(directory / "ngrams")

    @classmethod
    def restore(cls, storage: ModelStorage, resource: Resource) -> Optional["E5AndNgrams"]:
        """None when training stored nothing (one label)."""
        try:
            with storage.read_from(resource) as directory:
                return cls(LinearModel.load(directory), ScriptNgrams.load(directory / "ngrams"))
        except (ValueError, FileNotFoundError):
            return None
