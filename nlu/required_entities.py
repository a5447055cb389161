"""An intent that only makes sense with an entity falls back without it.

`give_place` ("in Surrey") without a recognised place is not understood: e5 puts any short
unknown word near place names, so gibberish would otherwise be taken for a place. The
fallback shows the category menu instead of a dead end.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RequiredEntities(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"required": {"give_place": ["place"]}, "fallback_intent": "nlu_fallback"}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not isinstance(config.get("required", {}), dict):
            raise ValueError("RequiredEntities: 'required' maps intents to entity lists")

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RequiredEntities":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            needed = self._config["required"].get(intent)
            if not needed:
                continue
            present = {e.get(ENTITY_ATTRIBUTE_TYPE) for e in message.get(ENTITIES) or []}
            if not set(needed) <= present:
                confidence = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY, 0.0)
                message.set(
                    INTENT,
                    {
                        INTENT_NAME_KEY: self._config["fallback_intent"],
                        PREDICTED_CONFIDENCE_KEY: confidence,
                    },
                    add_to_output=True,
                )
        return messages
