"""Safety net: a message that names a danger is classified `emergency`, whatever else.

The statistical classifier already learns the emergency intent; this component makes the
clearest phrases (from `bot/lexicons/emergency/`, per language and kind) impossible to
miss. It runs last in the pipeline so that nothing after it can lower the intent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Pattern, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.danger import load_lexicon, match_danger


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EmergencyGuard(GraphComponent):
    """Forces the emergency intent when a danger phrase appears in the message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon": "bot/lexicons/emergency", "intent": "emergency"}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not Path(config["lexicon"]).exists():
            raise ValueError(f"EmergencyGuard: lexicon not found: {config['lexicon']}")

    def __init__(self, config: Dict[Text, Any], patterns: Dict[Text, Pattern[Text]]) -> None:
        self._config = config
        self._patterns = patterns

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EmergencyGuard":
        config = {**cls.get_default_config(), **config}
        return cls(config, load_lexicon(Path(config["lexicon"])))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            kind = match_danger(self._patterns, message.get(TEXT) or "")
            if kind is None:
                continue
            forced = {INTENT_NAME_KEY: self._config["intent"], PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                r
                for r in (message.get(INTENT_RANKING_KEY) or [])
                if r.get(INTENT_NAME_KEY) != self._config["intent"]
            ]
            message.set(INTENT, forced, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [forced, *ranking], add_to_output=True)
            message.set("danger", kind, add_to_output=True)
        return messages
