"""Database engine and sessions: a SQLite file by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

# Writers wait for each other this long on SQLite instead of failing with "database is locked".
SQLITE_BUSY_MS = 30_000


def parse_url(url: str) -> sa.URL:
    """The URL with the installed PostgreSQL driver: a plain `postgresql://` (Rasa's form) would make
    SQLAlchemy 2.1 look for psycopg 3."""
    parsed = sa.make_url(url)
    return parsed.set(drivername="postgresql+psycopg2") if parsed.drivername == "postgresql" else parsed


def make_engine(url: str, **options: Any) -> sa.Engine:
    # Statement parameters are what visitors wrote: kept out of SQL logging (at INFO, SQLAlchemy logs them)
    # and out of the text of database errors, which end in tracebacks.
    options = {"hide_parameters": True, **options}
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True, **options)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, connect_args={"check_same_thread": False}, **options)

    @sa.event.listens_for(engine, "connect")
    def configure(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        # Readers do not block the writer (and the other way round).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


class Database:
    """The engine and its session factory; one per app (app.state.database)."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    def dispose(self) -> None:
        self.engine.dispose()


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.database.session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]
