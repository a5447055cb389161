"""Which kind of service a message asks for, learnt from the e5 sentence vectors.

Training: every `find_service` example belongs to a block whose metadata names its category;
every other example is labelled `_none`. So the classifier both names the category and
tells whether a message asks for a service at all. At run time it adds a `category`
entity when the message asks for a service and no category was given explicitly (a
button payload), and promotes a low-confidence message (`nlu_fallback`), or one the intent
classifier took for small talk, to `find_service` when it is confident the message asks for
a category: a question in a language without training examples, or a two-word request
("SIN how"), is still routed.

The model is `nlu.linear_model.E5AndNgrams`: a logistic regression on the e5 vector with the
character n-grams of the message's script mixed in, kept as plain arrays.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

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

from nlu.e5_intent_classifier import sentence_vector
from nlu.linear_model import E5AndNgrams

NONE_LABEL = "_none"
ENTITY = "category"


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
            # A message the intent classifier gave one of these intents becomes find_service
            # when this classifier names a category at least this surely ("daycare in
            # delta" is no goodbye, "a counsellor who speaks Farsi" no request for a person).
            # Intents absent here (emergency, the dialogue's own answers) are never changed.
            "promote_from": {"nlu_fallback": 0.55},
            # Categories a promotion never leads to: off-topic questions ("what time is it
            # in Beijing") land near the crisis lines, and danger has its own intent.
            "never_promote_to": ["emergency"],
            "C": 8.0,
            # How far the n-gram model of the message's script may move e5's probabilities
            # (times the share of the message's words in that script's examples); 0: off.
            "ngram_weight": 0.5,
            "ngram_C": 8.0,
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        thresholds = [("min_confidence", config["min_confidence"])]
        thresholds += [("ngram_weight", config["ngram_weight"])]
        thresholds += [(f"promote_from.{k}", v) for k, v in config["promote_from"].items()]
        for key, value in thresholds:
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"CategoryClassifier: {key} must be between 0 and 1")

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[E5AndNgrams] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._model = model

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
        rows, labels, texts = [], [], []
        for message in training_data.intent_examples:
            label = self._label(message)
            vector = sentence_vector(message)
            if label is not None and vector is not None:
                rows.append(vector)
                labels.append(label)
                texts.append(str(message.get(TEXT) or ""))
        self._model = E5AndNgrams.fit(rows, texts, labels, self._config)
        if self._model is not None:
            self._model.store(self._storage, self._resource)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CategoryClassifier":
        return cls(config, model_storage, resource, E5AndNgrams.restore(model_storage, resource))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None:
            return messages
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        vector = sentence_vector(message)
        if vector is None or self._model is None:
            return
        ranking = self._model.rank(vector, str(message.get(TEXT) or ""))
        best_category = next(((c, p) for c, p in ranking if c != NONE_LABEL), None)
        message.set("category_ranking", [{"name": c, "confidence": p} for c, p in ranking[:5]])
        if best_category is None:
            return
        category, confidence = best_category
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        top_label, top_probability = ranking[0]
        promote_at = self._config["promote_from"].get(intent)
        if (
            promote_at is not None
            and top_label != NONE_LABEL
            and top_label not in self._config["never_promote_to"]
            and top_probability >= float(promote_at)
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
