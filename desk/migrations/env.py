"""Alembic environment of the desk database (configured in code: see desk/migrate.py)."""

from alembic import context
from sqlalchemy import NullPool
from sqlalchemy.types import TypeDecorator

from desk.db import make_engine
from desk.models import Base


def render_item(kind, item, autogen_context):
    """New migrations spell a column's database type, not the model's Python-side wrapper (UTCDateTime)."""
    if kind == "type" and isinstance(item, TypeDecorator):
        return f"sa.{item.impl!r}"
    return False


url = context.config.get_main_option("sqlalchemy.url")
assert url is not None, "desk/migrate.py sets the database URL"
engine = make_engine(url, poolclass=NullPool)
with engine.connect() as connection:
    # Batch mode: SQLite changes a table by copying it.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
