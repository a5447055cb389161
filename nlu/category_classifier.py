"""Which kind of service a message asks for, learnt from the e5 sentence vectors.

Training: every `find_service` example belongs to a block whose metadata names its category;
every other example is labelled `_none`. So the classifier both names the category and
tells whether a message asks for a service at all. At run time it adds a `category`
entity when the message asks for a service and no category was given explicitly (a
button payload), and promotes a low-confidence message (`nlu_fallback`) to `find_service`
when it is confident the message asks for a category: a question in a language without
training examples is still routed.

The model is a multinomial logistic regression kept as plain arrays (no pickles).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

NONE_LABEL = "_none"
ENTITY = "category"


def _sentence_vector(message: Message) -> Optional[np.ndarray]:
    _, sentence = message.get_dense_features(TEXT)
    if sentence is None:
        return None
    return np.asarray(sentence.features[0], dtype=np.float32)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max()
    e = np.exp(z)
    return e / e.sum()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class CategoryClassifier(GraphComponent, EntityExtractorMixin):
    """Adds the `category` entity (a category code) and rescues unseen-language requests."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent": "find_service",
            # Intents whose messages get a category entity when none was given.
            "category_intents": ["find_service", "give_place"],
            "min_confidence": 0.35,
            # A fallback message whose best category is at least this sure becomes find_service.
            "promote_confidence": 0.55,
            "fallback_intent": "nlu_fallback",
            "C": 8.0,
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        for key in ("min_confidence", "promote_confidence"):
            if not 0.0 <= float(config[key]) <= 1.0:
                raise ValueError(f"CategoryClassifier: {key} must be between 0 and 1")

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: Optional[np.ndarray] = None,
        bias: Optional[np.ndarray] = None,
        labels: Optional[List[Text]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._weights = weights
        self._bias = bias
        self._labels = labels or []

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CategoryClassifier":
        return cls(config, model_storage, resource)

    def _label(self, message: Message) -> Optional[Text]:
        if message.get(INTENT) != self._config["intent"]:
            return NONE_LABEL if message.get(INTENT) else None
        metadata = message.get("metadata") or {}
        category = (metadata.get("intent") or {}).get("category")
        return str(category) if category else None

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        rows, labels = [], []
        for message in training_data.intent_examples:
            label = self._label(message)
            vector = _sentence_vector(message)
            if label is not None and vector is not None:
                rows.append(vector)
                labels.append(label)
        if len(set(labels)) < 2:
            return self._resource
        model = LogisticRegression(
            C=float(self._config["C"]), max_iter=2000, class_weight="balanced"
        )
        model.fit(np.stack(rows), np.asarray(labels))
        self._weights = model.coef_.astype(np.float32)
        self._bias = model.intercept_.astype(np.float32)
        self._labels = [str(c) for c in model.classes_]
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self._weights is None or self._bias is None:
            return
        with self._storage.write_to(self._resource) as directory:
            np.save(directory / "weights.npy", self._weights, allow_pickle=False)
            np.save(directory / "bias.npy", self._bias, allow_pickle=False)
            (directory / "labels.json").write_text(json.dumps(self._labels))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CategoryClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                return cls(
                    config,
                    model_storage,
                    resource,
                    np.load(directory / "weights.npy", allow_pickle=False),
                    np.load(directory / "bias.npy", allow_pickle=False),
                    json.loads((directory / "labels.json").read_text()),
                )
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)

    def predict(self, vector: np.ndarray) -> List[tuple]:
        """Categories with probabilities, best first (the `_none` label included)."""
        assert self._weights is not None and self._bias is not None
        probabilities = _softmax(self._weights @ vector + self._bias)
        order = np.argsort(-probabilities)
        return [(self._labels[i], float(probabilities[i])) for i in order]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self._weights is None:
            return messages
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        vector = _sentence_vector(message)
        if vector is None:
            return
        ranking = self.predict(vector)
        best_category = next(((c, p) for c, p in ranking if c != NONE_LABEL), None)
        message.set("category_ranking", [{"name": c, "confidence": p} for c, p in ranking[:5]])
        if best_category is None:
            return
        category, confidence = best_category
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        top_label, top_probability = ranking[0]
        if (
            intent == self._config["fallback_intent"]
            and top_label != NONE_LABEL
            and top_probability >= float(self._config["promote_confidence"])
        ):
            promoted = {
                INTENT_NAME_KEY: self._config["intent"],
                PREDICTED_CONFIDENCE_KEY: top_probability,
            }
            message.set(INTENT, promoted, add_to_output=True)
            ranking_list = message.get(INTENT_RANKING_KEY) or []
            message.set(INTENT_RANKING_KEY, [promoted, *ranking_list], add_to_output=True)
            intent = self._config["intent"]
        if intent not in self._config["category_intents"]:
            return
        entities = message.get(ENTITIES) or []
        if any(e.get(ENTITY_ATTRIBUTE_TYPE) == ENTITY for e in entities):
            return  # given explicitly (a button) or by a lexical extractor
        if confidence < float(self._config["min_confidence"]) and top_label == NONE_LABEL:
            return
        entity = {
            ENTITY_ATTRIBUTE_TYPE: ENTITY,
            ENTITY_ATTRIBUTE_VALUE: category,
            ENTITY_ATTRIBUTE_CONFIDENCE: confidence,
            EXTRACTOR: self.__class__.__name__,
        }
        message.set(ENTITIES, [*entities, entity], add_to_output=True)
