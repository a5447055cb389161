"""Callback data is at most 64 bytes: a longer button payload travels as a short key.

The key is a hash of the payload, kept in a small table so that a button still works
after a restart. Today's payloads (`/find_service{"category":"family_violence"}`, 42
bytes) fit; this keeps a longer one from being cut or refused by Telegram.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from channels.telegram.render import CALLBACK_DATA_BYTES

KEY_PREFIX = "#k:"


class _Base(DeclarativeBase):
    pass


class CallbackRow(_Base):
    __tablename__ = "telegram_callback"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CallbackKeys:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._known: dict[str, str] = {}

    def create_tables(self) -> None:
        _Base.metadata.create_all(self._engine)

    def shorten(self, payload: str) -> str:
        """The payload itself when it fits, else a stored key for it."""
        fits = len(payload.encode("utf-8")) <= CALLBACK_DATA_BYTES
        if fits and not payload.startswith(KEY_PREFIX):
            return payload
        key = KEY_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        if key not in self._known:
            try:
                with Session(self._engine) as session, session.begin():
                    if session.get(CallbackRow, key) is None:
                        session.add(
                            CallbackRow(key=key, payload=payload, created_at=datetime.now(UTC))
                        )
            except IntegrityError:
                pass  # stored by a concurrent answer: same key, same payload
            self._known[key] = payload
        return key

    def resolve(self, data: str) -> str | None:
        """The payload a button's callback data stands for; None for an unknown key."""
        if not data.startswith(KEY_PREFIX):
            return data
        if data in self._known:
            return self._known[data]
        with Session(self._engine) as session:
            row = session.get(CallbackRow, data)
            return row.payload if row else None
