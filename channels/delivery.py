"""Durable inbound and outbound messages of the platform channels (Telegram, SMS).

An inbound message is stored under its platform id (`update_id`, `MessageSid`) before the
platform gets its 2xx: a redelivery finds the key and is dropped; a crash leaves it pending
and a worker picks it up again (at least once). Its answer is queued in the same
transaction that marks it answered, so it is answered exactly once. Outbound messages go
out oldest first per recipient (`channels.courier`).

Raw recipients (chat ids, phone numbers) live only in these tables: they belong to the
channel layer. Everything past the gateway sees a keyed pseudonym.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Integer,
    String,
    UniqueConstraint,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

PENDING, DONE, SENT, FAILED, DROPPED = "pending", "done", "sent", "failed", "dropped"
ACTIVE, BLOCKED, OPTED_OUT = "active", "blocked", "opted_out"


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class _Base(DeclarativeBase):
    pass


class InboundRow(_Base):
    __tablename__ = "channel_inbound"
    __table_args__ = (UniqueConstraint("channel", "key", name="uq_channel_inbound_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(80))  # the platform's id of the message
    recipient: Mapped[str] = mapped_column(String(64), index=True)
    # Only what an answer needs (text, a button's data, a location, a language hint).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[bool] = mapped_column(Boolean, default=False)  # "answer soon" was sent
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OutboundRow(_Base):
    __tablename__ = "channel_outbound"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(64), index=True)
    inbound_id: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    external_id: Mapped[str | None] = mapped_column(String(64), index=True)
    error: Mapped[str | None] = mapped_column(String(200))


class ContactRow(_Base):
    """Whether we may write to a recipient (blocked the bot, opted out of SMS)."""

    __tablename__ = "channel_contact"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class Inbound:
    id: int
    channel: str
    key: str
    recipient: str
    payload: dict[str, Any]
    attempts: int
    held: bool
    received_at: datetime


@dataclass(frozen=True)
class Outbound:
    id: int
    channel: str
    recipient: str
    body: dict[str, Any]
    attempts: int
    inbound_id: int | None


def _inbound(row: InboundRow) -> Inbound:
    return Inbound(
        row.id,
        row.channel,
        row.key,
        row.recipient,
        dict(row.payload),
        row.attempts,
        row.held,
        row.received_at,
    )


def _outbound(row: OutboundRow) -> Outbound:
    return Outbound(
        row.id, row.channel, row.recipient, dict(row.body), row.attempts, row.inbound_id
    )


class Delivery:
    """The channel layer's durable ledger of messages in and out."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self._engine = engine
        self._now = clock

    @property
    def engine(self) -> Engine:
        """The database engine, for a channel's own small tables beside these."""
        return self._engine

    def create_tables(self) -> None:
        _Base.metadata.create_all(self._engine)

    def now(self) -> datetime:
        return self._now()

    # -- inbound ---------------------------------------------------------------------

    def receive(
        self,
        channel: str,
        key: str,
        recipient: str,
        payload: dict[str, Any],
        *,
        lease: timedelta = timedelta(seconds=60),
    ) -> Inbound | None:
        """Store a message; None when this key was seen before (a redelivery).

        The lease keeps the worker away while the request that stored it answers it;
        after a crash the lease runs out and the worker answers instead."""
        now = self._now()
        row = InboundRow(
            channel=channel,
            key=key,
            recipient=recipient,
            payload=payload,
            status=PENDING,
            attempts=0,
            held=False,
            next_attempt_at=now + lease,
            received_at=now,
        )
        try:
            with Session(self._engine) as session, session.begin():
                session.add(row)
                self._touch(session, channel, recipient, now)
                session.flush()
                return _inbound(row)
        except IntegrityError:
            return None

    def claim_inbound(
        self,
        channel: str,
        *,
        limit: int = 20,
        lease: timedelta = timedelta(seconds=60),
        busy: Iterable[str] = (),
    ) -> list[Inbound]:
        """Due pending messages, the oldest of each recipient only (answers stay in order),
        each leased so that a second worker leaves it alone."""
        now = self._now()
        skip = set(busy)
        claimed: list[Inbound] = []
        with Session(self._engine) as session, session.begin():
            rows = _first_due(session, InboundRow, channel, now, limit + len(skip))
            for row in rows:
                if row.recipient in skip or len(claimed) >= limit:
                    continue
                taken = session.execute(
                    update(InboundRow)
                    .where(
                        InboundRow.id == row.id,
                        InboundRow.next_attempt_at == row.next_attempt_at,
                        InboundRow.status == PENDING,
                    )
                    .values(next_attempt_at=now + lease)
                    .execution_options(synchronize_session=False)
                )
                if getattr(taken, "rowcount", 0) == 1:
                    claimed.append(_inbound(row))
        return claimed

    def answer(
        self, inbound_id: int, bodies: list[dict[str, Any]], *, sent_inline: bool = False
    ) -> list[Outbound]:
        """Mark a message answered and queue its answer, atomically. A message already
        answered queues nothing (exactly one answer). `sent_inline`: the answer went back
        in the webhook's own response (TwiML); it is recorded as sent."""
        now = self._now()
        with Session(self._engine) as session, session.begin():
            marked = session.execute(
                update(InboundRow)
                .where(InboundRow.id == inbound_id, InboundRow.status == PENDING)
                .values(status=DONE, done_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(marked, "rowcount", 0) != 1:
                return []
            row = session.get(InboundRow, inbound_id)
            assert row is not None
            return self._enqueue(
                session, row.channel, row.recipient, bodies, inbound_id, now, sent_inline
            )

    def postpone(self, inbound_id: int, delay: timedelta, *, held: bool = False) -> None:
        """Try this message again later (the assistant was unavailable)."""
        with Session(self._engine) as session, session.begin():
            row = session.get(InboundRow, inbound_id)
            if row is None or row.status != PENDING:
                return
            row.attempts += 1
            row.held = row.held or held
            row.next_attempt_at = self._now() + delay

    def inbound_status(self, channel: str, key: str) -> str | None:
        with Session(self._engine) as session:
            return session.scalar(
                select(InboundRow.status).where(
                    InboundRow.channel == channel, InboundRow.key == key
                )
            )

    # -- outbound --------------------------------------------------------------------

    def enqueue(
        self,
        channel: str,
        recipient: str,
        bodies: list[dict[str, Any]],
        *,
        inbound_id: int | None = None,
    ) -> list[Outbound]:
        with Session(self._engine) as session, session.begin():
            return self._enqueue(
                session, channel, recipient, bodies, inbound_id, self._now(), False
            )

    def _enqueue(
        self,
        session: Session,
        channel: str,
        recipient: str,
        bodies: list[dict[str, Any]],
        inbound_id: int | None,
        now: datetime,
        sent_inline: bool,
    ) -> list[Outbound]:
        # Nothing may be queued for a number that opted out (SMS STOP) until it opts in
        # again: an answer still being prepared when STOP arrived is dropped here.
        contact = session.get(ContactRow, (channel, recipient))
        queued = DROPPED if contact is not None and contact.status == OPTED_OUT else PENDING
        rows = [
            OutboundRow(
                channel=channel,
                recipient=recipient,
                inbound_id=inbound_id,
                body=body,
                status=SENT if sent_inline else queued,
                attempts=1 if sent_inline else 0,
                next_attempt_at=now,
                created_at=now,
                sent_at=now if sent_inline else None,
                external_id="inline" if sent_inline else None,
            )
            for body in bodies
        ]
        session.add_all(rows)
        session.flush()
        return [_outbound(row) for row in rows]

    def due_outbound(
        self, channel: str, *, limit: int = 30, busy: Iterable[str] = ()
    ) -> list[Outbound]:
        """The oldest pending message of each recipient, when it is due."""
        now = self._now()
        skip = set(busy)
        with Session(self._engine) as session:
            rows = _first_due(session, OutboundRow, channel, now, limit + len(skip))
            return [_outbound(r) for r in rows if r.recipient not in skip][:limit]

    def sent(self, outbound_id: int, external_id: str | None = None) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(OutboundRow, outbound_id)
            if row is not None:
                row.status, row.sent_at = SENT, self._now()
                row.attempts += 1
                row.external_id = external_id

    def retry(self, outbound_id: int, delay: timedelta, error: str) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(OutboundRow, outbound_id)
            if row is not None:
                row.attempts += 1
                row.next_attempt_at = self._now() + delay
                row.error = error[:200]

    def failed(self, outbound_id: int, error: str) -> None:
        with Session(self._engine) as session, session.begin():
            row = session.get(OutboundRow, outbound_id)
            if row is not None:
                row.status, row.error = FAILED, error[:200]
                row.attempts += 1

    def outbound_by_external_id(self, channel: str, external_id: str) -> Outbound | None:
        with Session(self._engine) as session:
            row = session.scalar(
                select(OutboundRow).where(
                    OutboundRow.channel == channel, OutboundRow.external_id == external_id
                )
            )
            return _outbound(row) if row else None

    def outbound_for(self, channel: str, recipient: str) -> list[tuple[str, dict[str, Any]]]:
        """(status, body) of every message to a recipient, oldest first (for tests and
        the console)."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(OutboundRow)
                .where(OutboundRow.channel == channel, OutboundRow.recipient == recipient)
                .order_by(OutboundRow.id)
            ).all()
            return [(r.status, dict(r.body)) for r in rows]

    # -- contacts --------------------------------------------------------------------

    def _touch(self, session: Session, channel: str, recipient: str, now: datetime) -> None:
        row = session.get(ContactRow, (channel, recipient))
        if row is None:
            session.add(
                ContactRow(
                    channel=channel,
                    recipient=recipient,
                    status=ACTIVE,
                    last_seen=now,
                    changed_at=now,
                )
            )
        else:
            row.last_seen = now

    def contact_status(self, channel: str, recipient: str) -> str:
        with Session(self._engine) as session:
            row = session.get(ContactRow, (channel, recipient))
            return row.status if row else ACTIVE

    def set_contact_status(self, channel: str, recipient: str, status: str) -> int:
        """Record blocked / opted out / active again. Blocking drops what was waiting to be
        sent to that recipient; returns how many messages were dropped."""
        now = self._now()
        with Session(self._engine) as session, session.begin():
            row = session.get(ContactRow, (channel, recipient))
            if row is None:
                row = ContactRow(channel=channel, recipient=recipient, last_seen=now)
                session.add(row)
            row.status, row.changed_at = status, now
            if status == ACTIVE:
                return 0
            dropped = session.execute(
                update(OutboundRow)
                .where(
                    OutboundRow.channel == channel,
                    OutboundRow.recipient == recipient,
                    OutboundRow.status == PENDING,
                )
                .values(status=DROPPED)
                .execution_options(synchronize_session=False)
            )
            return int(getattr(dropped, "rowcount", 0) or 0)

    # -- retention -------------------------------------------------------------------

    def purge(
        self,
        *,
        keep_messages: timedelta = timedelta(hours=48),
        forget_contacts_after: timedelta | None = None,
        channel: str | None = None,
    ) -> dict[str, int]:
        """Delete answered messages older than `keep_messages` (≥ 24 h: Telegram redelivers
        for a day and the keys must outlive that) and, when asked, every trace of
        recipients not seen for `forget_contacts_after`; of one channel when given."""
        if keep_messages < timedelta(hours=24):
            raise ValueError("keep messages at least 24 hours: redeliveries come that late")
        now = self._now()
        counts: dict[str, int] = {}
        with Session(self._engine) as session, session.begin():
            cutoff = now - keep_messages
            only = [InboundRow.channel == channel] if channel else []
            counts["inbound"] = _rowcount(
                session.execute(
                    delete(InboundRow).where(
                        InboundRow.status == DONE, InboundRow.received_at < cutoff, *only
                    )
                )
            )
            only_out = [OutboundRow.channel == channel] if channel else []
            counts["outbound"] = _rowcount(
                session.execute(
                    delete(OutboundRow).where(
                        OutboundRow.status != PENDING, OutboundRow.created_at < cutoff, *only_out
                    )
                )
            )
            counts["contacts"] = 0
            if forget_contacts_after is not None:
                only_contact = [ContactRow.channel == channel] if channel else []
                stale = session.execute(
                    select(ContactRow.channel, ContactRow.recipient).where(
                        ContactRow.last_seen < now - forget_contacts_after, *only_contact
                    )
                ).all()
                for stale_channel, recipient in stale:
                    for table in (InboundRow, OutboundRow, ContactRow):
                        session.execute(
                            delete(table).where(
                                table.channel == stale_channel, table.recipient == recipient
                            )
                        )
                counts["contacts"] = len(stale)
        return counts


_Row = TypeVar("_Row", InboundRow, OutboundRow)


def _first_due(
    session: Session, table: type[_Row], channel: str, now: datetime, limit: int
) -> Sequence[_Row]:
    """Each recipient's oldest pending message, when it is due: a later message never
    overtakes an earlier one that waits for a retry."""
    first = (
        select(table.recipient, func.min(table.id).label("first_id"))
        .where(table.channel == channel, table.status == PENDING)
        .group_by(table.recipient)
        .subquery()
    )
    return session.scalars(
        select(table)
        .join(first, table.id == first.c.first_id)
        .where(table.next_attempt_at <= now)
        .order_by(table.id)
        .limit(limit)
    ).all()


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
