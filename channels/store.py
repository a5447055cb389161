"""Per-conversation state the gateway needs: only the language (keyed by pseudonym)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class _Base(DeclarativeBase):
    pass


class Conversation(_Base):
    __tablename__ = "gateway_conversation"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # a pseudonym, never a raw id
    language: Mapped[str | None] = mapped_column(String(16))
    preferred_language: Mapped[str | None] = mapped_column(String(16))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConversationStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create_tables(self) -> None:
        _Base.metadata.create_all(self._engine)

    def get(self, conversation_id: str) -> tuple[str | None, str | None]:
        """(preferred language, last language) of a conversation."""
        with Session(self._engine) as session:
            row = session.get(Conversation, conversation_id)
            return (row.preferred_language, row.language) if row else (None, None)

    def save(self, conversation_id: str, language: str, *, preferred: str | None = None) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(Conversation, conversation_id)
            if row is None:
                row = Conversation(id=conversation_id)
                session.add(row)
            row.language = language
            if preferred:
                row.preferred_language = preferred
            row.last_seen = datetime.now(UTC)

    def forget_older_than(self, cutoff: datetime) -> int:
        with Session(self._engine) as session, session.begin():
            rows = session.scalars(
                select(Conversation).where(Conversation.last_seen < cutoff)
            ).all()
            for row in rows:
                session.delete(row)
            return len(rows)
