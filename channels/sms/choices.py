"""What "1", "2" or MORE means in a conversation: the payloads of the last answer's
choices, keyed by the conversation's pseudonym (never a phone number)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, String, delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class _Base(DeclarativeBase):
    pass


class ChoiceRow(_Base):
    __tablename__ = "sms_reply_choice"

    conversation: Mapped[str] = mapped_column(String(80), primary_key=True)
    choices: Mapped[dict[str, str]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChoiceStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create_tables(self) -> None:
        _Base.metadata.create_all(self._engine)

    def save(self, conversation: str, choices: dict[str, str]) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(ChoiceRow, conversation)
            if row is None:
                row = ChoiceRow(conversation=conversation)
                session.add(row)
            row.choices, row.updated_at = dict(choices), datetime.now(UTC)

    def get(self, conversation: str) -> dict[str, str]:
        with Session(self._engine) as session:
            row = session.get(ChoiceRow, conversation)
            return dict(row.choices) if row else {}

    def forget_older_than(self, cutoff: datetime) -> int:
        with Session(self._engine) as session, session.begin():
            result = session.execute(delete(ChoiceRow).where(ChoiceRow.updated_at < cutoff))
            return int(getattr(result, "rowcount", 0) or 0)
