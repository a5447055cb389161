"""Whitespace tokens, and one token per character in scripts written without spaces.

"我在列治文找工作" is one whitespace token; Chinese, Japanese and Thai get a token per
character instead (Latin runs inside, such as "SIN" or "WorkBC", stay whole). Intent and
category come from sentence meaning (e5), so this matters for entity offsets and for any
token-level component added later.
"""

from __future__ import annotations

import unicodedata
from typing import List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

_UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "THAI")


def unspaced(ch: Text) -> bool:
    return unicodedata.name(ch, "").startswith(_UNSPACED)


def split_unspaced(token: Token) -> List[Token]:
    """Split a token into single characters of unspaced scripts and runs of the rest."""
    if not any(unspaced(ch) for ch in token.text):
        return [token]
    pieces: List[Token] = []
    run_start: Optional[int] = None
    for i, ch in enumerate(token.text):
        if unspaced(ch):
            if run_start is not None:
                pieces.append(Token(token.text[run_start:i], token.start + run_start))
                run_start = None
            pieces.append(Token(ch, token.start + i))
        elif run_start is None:
            run_start = i
    if run_start is not None:
        pieces.append(Token(token.text[run_start:], token.start + run_start))
    return pieces


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class ScriptTokenizer(WhitespaceTokenizer):
    @staticmethod
    def not_supported_languages() -> Optional[List[Text]]:
        return []

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        return [piece for token in tokens for piece in split_unspaced(token)]
