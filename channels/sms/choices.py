"""What "1", "2" or MORE means in a conversation: the payloads of the last answer's
choices, and the menu pages still to send on MORE, keyed by the conversation's pseudonym
(never a phone number)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, String, delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

# A page still to send is kept among the choices under "page:N", and MORE points at the
# next one; payloads start with "/", so the two never meet (and the table keeps its shape).
_PAGE = "page:"
_MORE = "more"


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

    def save(self, conversation: str, choices: dict[str, str], pages: Sequence[str] = ()) -> None:
        stored = dict(choices)
        if pages and _MORE not in stored:
            stored.update({f"{_PAGE}{n}": page for n, page in enumerate(pages, 1)})
            stored[_MORE] = f"{_PAGE}1"
        with Session(self._engine) as session, session.begin():
            row = session.get(ChoiceRow, conversation)
            if row is None:
                row = ChoiceRow(conversation=conversation)
                session.add(row)
            row.choices, row.updated_at = stored, datetime.now(UTC)

    def next_page(self, conversation: str) -> str | None:
        """The next menu page, when MORE stands for one; MORE then moves on to the page
        after it (or means nothing more)."""
        with Session(self._engine) as session, session.begin():
            row = session.get(ChoiceRow, conversation)
            key = row.choices.get(_MORE, "") if row else ""
            if row is None or not key.startswith(_PAGE) or key not in row.choices:
                return None
            choices = dict(row.choices)
            page = choices.pop(key)
            following = f"{_PAGE}{int(key.removeprefix(_PAGE)) + 1}"
            if following in choices:
                choices[_MORE] = following
            else:
                del choices[_MORE]
            row.choices, row.updated_at = choices, datetime.now(UTC)
            return page

    def get(self, conversation: str) -> dict[str, str]:
        with Session(self._engine) as session:
            row = session.get(ChoiceRow, conversation)
            return dict(row.choices) if row else {}

    def forget_older_than(self, cutoff: datetime) -> int:
        with Session(self._engine) as session, session.begin():
            result = session.execute(delete(ChoiceRow).where(ChoiceRow.updated_at < cutoff))
            return int(getattr(result, "rowcount", 0) or 0)
