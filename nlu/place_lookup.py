"""Place names in other scripts than Latin, with each script's idea of a word boundary:
none in Chinese, Japanese or Thai ("我在列治文找工作"); particles after a Korean name
("버나비에서"); one-letter prefixes before an Arabic-script name ("بسري"); and Indic vowel
signs counted as part of a word, which Python's \\b does not do (so "सरी" is found alone
but not inside "दूसरी").

Latin names need whole words too ("Delta" is not in "Deltas"); they match without case.
The names come from the `place` lookup tables of the training data (longest first, so
"Vancouver Norte" is one place, not "Vancouver"); synonyms then map them to the English
name the directory knows. RegexEntityExtractor keeps the regexes (postal codes, numbers).
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def _scripts(name: Text) -> set:
    return {unicodedata.name(ch, "").split(" ")[0] for ch in name if ch.isalpha()}


def _is_word_char(ch: Text) -> bool:
    # Letters, marks (Indic vowel signs) and digits: Python's \b misses the marks.
    return unicodedata.category(ch)[0] in "LMN"


def _joins(ch: Text, scripts: set) -> bool:
    """Whether `ch` next to a name of these scripts makes one word with it. A letter of
    another script does not: "在Surrey找工作" has Surrey as a word."""
    if not _is_word_char(ch):
        return False
    if not ch.isalpha():
        return True  # digits and marks join
    return unicodedata.name(ch, "").split(" ")[0] in scripts


_ARABIC_PREFIXES = set("وبلفك")


def boundaries_ok(text: Text, start: int, end: int, name: Text) -> bool:
    """Whether a match of `name` at text[start:end] stands as a word in its script."""
    scripts = _scripts(name)
    if scripts & {"CJK", "HIRAGANA", "KATAKANA", "THAI"}:
        return True  # written without spaces
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if "HANGUL" in scripts:
        return not _joins(before, scripts)  # particles attach after: 버나비에서
    if "ARABIC" in scripts:
        prefixed = before in _ARABIC_PREFIXES and (
            start < 2 or not _joins(text[start - 2], scripts)
        )
        return (prefixed or not _joins(before, scripts)) and not _joins(after, scripts)
    return not _joins(before, scripts) and not _joins(after, scripts)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class PlaceLookup(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lookup": "place", "entity": "place", "min_length": 2}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if int(config.get("min_length", 2)) < 1:
            raise ValueError("PlaceLookup: min_length must be at least 1")

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        names: List[Text] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        # Longest first, so that "北温哥华" wins over "温哥华".
        self._names = sorted(set(names or []), key=len, reverse=True)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PlaceLookup":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        names: List[Text] = []
        for table in training_data.lookup_tables:
            if table.get("name") != self._config["lookup"]:
                continue
            elements = table.get("elements") or []
            if isinstance(elements, str):
                elements = elements.splitlines()
            names.extend(
                e.strip()
                for e in elements
                if e.strip() and len(e.strip()) >= int(self._config["min_length"])
            )
        self._names = sorted({n.lower() for n in names}, key=len, reverse=True)
        with self._storage.write_to(self._resource) as directory:
            (directory / "names.json").write_text(json.dumps(self._names, ensure_ascii=False))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "PlaceLookup":
        try:
            with model_storage.read_from(resource) as directory:
                names = json.loads((directory / "names.json").read_text())
        except (ValueError, FileNotFoundError):
            names = []
        return cls(config, model_storage, resource, names)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            original = unicodedata.normalize("NFC", message.get(TEXT) or "")
            # lower() keeps the length of almost every string; when it does not, match
            # on the original text only (the offsets must point into it).
            lowered = original.lower()
            text = lowered if len(lowered) == len(original) else original
            entities = list(message.get(ENTITIES) or [])
            taken = [(e.get(ENTITY_ATTRIBUTE_START), e.get(ENTITY_ATTRIBUTE_END)) for e in entities]
            found = []
            for name in self._names:
                start = text.find(name)
                while start != -1:
                    end = start + len(name)
                    overlaps = any(s is not None and s < end and start < e for s, e in taken)
                    if not overlaps and boundaries_ok(text, start, end, name):
                        found.append(
                            {
                                ENTITY_ATTRIBUTE_TYPE: self._config["entity"],
                                ENTITY_ATTRIBUTE_VALUE: original[start:end],
                                ENTITY_ATTRIBUTE_START: start,
                                ENTITY_ATTRIBUTE_END: end,
                                EXTRACTOR: self.__class__.__name__,
                            }
                        )
                        taken.append((start, end))
                    start = text.find(name, end)
            if found:
                message.set(ENTITIES, entities + found, add_to_output=True)
        return messages
