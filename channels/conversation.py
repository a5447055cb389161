"""One turn of a conversation, whatever the channel: language, Rasa, the answer's parts."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from re import Pattern
from typing import Any

from bot.catalog import Catalog
from bot.languages import direction
from channels.language import decide
from channels.pseudonym import Pseudonymizer
from channels.rasa_client import RasaClient, RasaUnavailable
from channels.store import ConversationStore
from channels.text_input import Problem, clean_text
from channels.vocabulary import VocabularyDetector
from knowledge.translation import NoTranslator, Translator
from nlu.danger import match_danger

log = logging.getLogger(__name__)

# Rasa's intent syntax, sent by buttons (web chat, Telegram) and channel commands.
_PAYLOAD = re.compile(r"^/[A-Za-z_]+(\{.*\})?$", re.DOTALL)

_PROBLEM_RESPONSES = {
    Problem.EMPTY: "utter_input_empty",
    Problem.TOO_LONG: "utter_input_too_long",
    Problem.UNREADABLE: "utter_input_unreadable",
}


@dataclass(frozen=True)
class Turn:
    channel: str  # web | sms | telegram | tester
    user: str  # the raw id inside the channel layer; pseudonymised before it goes further
    text: str
    requested_language: str | None = None
    hint: str | None = None
    # Channel facts the actions may use (e.g. an SMS segment budget); never the raw id.
    metadata: dict[str, Any] | None = None


@dataclass
class Answer:
    conversation_id: str
    language: str
    language_source: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    problem: Problem | None = None
    unavailable: bool = False
    written_in: str | None = None  # the message's language when the bot does not speak it
    translated_to: str | None = None  # a machine translation was added in that language

    @property
    def dir(self) -> str:
        return direction(self.language)

    @property
    def emergency(self) -> bool:
        return bool(self.facts.get("emergency"))


def split_reply(reply: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """User-visible messages, and the merged machine-readable facts of the actions."""
    messages: list[dict[str, Any]] = []
    facts: dict[str, Any] = {}
    for item in reply:
        custom = item.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("navigator"), dict):
            for key, value in custom["navigator"].items():
                if key in ("services", "categories") and isinstance(value, list):
                    facts.setdefault(key, [])
                    facts[key].extend(v for v in value if v not in facts[key])
                elif key == "emergency":
                    facts[key] = bool(facts.get(key)) or bool(value)
                else:
                    facts[key] = value
            continue
        message: dict[str, Any] = {}
        if isinstance(item.get("text"), str):
            message["text"] = item["text"]
        buttons = item.get("buttons")
        if isinstance(buttons, list):
            message["buttons"] = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in buttons
                if isinstance(b, dict)
            ]
        if message:
            messages.append(message)
    return messages, facts


class ConversationEngine:
    def __init__(
        self,
        *,
        rasa: RasaClient,
        store: ConversationStore,
        pseudonymize: Pseudonymizer,
        catalog: Catalog,
        danger: dict[str, Pattern[str]],
        languages: tuple[str, ...],
        default_language: str,
        max_chars: int,
        vocabulary: VocabularyDetector | None = None,
        translator: Translator | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.translator = translator or NoTranslator()
        self.rasa = rasa
        self.store = store
        self.pseudonymize = pseudonymize
        self.catalog = catalog
        self.danger = danger
        self.languages = languages
        self.default_language = default_language
        self.max_chars = max_chars

    def conversation_id(self, channel: str, user: str) -> str:
        return self.pseudonymize(channel, user)

    async def handle(self, turn: Turn) -> Answer:
        conversation_id = self.conversation_id(turn.channel, turn.user)
        cleaned = clean_text(turn.text, self.max_chars)
        preference, last = self.store.get(conversation_id)
        requested = turn.requested_language if turn.requested_language != "auto" else None
        decision = decide(
            # A button's payload ('/find_service{...}') says nothing about the language.
            "" if _PAYLOAD.match(cleaned.text) else cleaned.text,
            supported=self.languages,
            requested=requested,
            preference=preference,
            last=last,
            hint=turn.hint,
            default=self.default_language,
            vocabulary=self.vocabulary,
        )
        answer = Answer(conversation_id, decision.code, decision.source)
        if decision.written_in and decision.written_in not in self.languages:
            answer.written_in = decision.written_in
        if cleaned.problem is not None:
            answer.problem = cleaned.problem
            name = _PROBLEM_RESPONSES[cleaned.problem]
            answer.messages = [
                {"text": self.catalog.text(name, decision.code, limit=self.max_chars)}
            ]
            return answer

        metadata = {**(turn.metadata or {}), "language": decision.code, "channel": turn.channel}
        try:
            reply = await self.rasa.send(conversation_id, cleaned.text, metadata)
        except RasaUnavailable as exc:
            log.warning("rasa unavailable: %s", exc)
            return self._fallback(answer, cleaned.text)
        answer.messages, answer.facts = split_reply(reply)
        chosen = answer.facts.get("language_choice")
        if isinstance(chosen, str) and chosen in self.languages:
            answer.language, answer.language_source = chosen, "named"
            self.store.save(conversation_id, chosen, preferred=chosen)
        else:
            self.store.save(
                conversation_id,
                decision.code,
                preferred=decision.code if decision.is_choice else None,
            )
        if not answer.messages:
            answer.messages = [{"text": self.catalog.text("utter_sorry_error", answer.language)}]
        self._bridge(answer)
        return answer

    def _bridge(self, answer: Answer) -> None:
        """A language the bot does not speak: the answer, then a machine translation of it
        when a model for the pair is installed (never instead of it: numbers stay readable
        and a settlement worker can read the original)."""
        target = answer.written_in
        if target is None or (answer.language, target) not in self.translator.pairs():
            return
        translated_any = False
        for message in answer.messages:
            text = message.get("text")
            if not text:
                continue
            translated = self.translator.translate(text, answer.language, target)
            if translated:
                message["text"] = f"{text}\n\n{translated}"
                translated_any = True
        if translated_any:
            answer.translated_to = target

    def _fallback(self, answer: Answer, text: str) -> Answer:
        """Rasa is down: still put danger first, else a polite 'try again'."""
        answer.unavailable = True
        if match_danger(self.danger, text):
            answer.messages = [{"text": self.catalog.text("utter_emergency", answer.language)}]
            answer.facts = {"emergency": True, "categories": ["emergency"], "services": []}
        else:
            answer.messages = [{"text": self.catalog.text("utter_unavailable", answer.language)}]
        return answer
