"""The migrations build exactly the models' schema, and go down and up again, on a fresh database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from desk.db import make_engine
from desk.migrate import downgrade, upgrade
from desk.models import Base


def differences(url: str) -> list:
    engine = make_engine(url, poolclass=sa.NullPool)
    with engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    return found


def tables(url: str) -> set:
    engine = make_engine(url, poolclass=sa.NullPool)
    names = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    return names


@pytest.fixture(params=["postgresql", "sqlite"])
def fresh_database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/fresh.db"
    return request.getfixturevalue("postgres_databases").create()


def test_upgrade_matches_the_models_and_downgrade_undoes_it(fresh_database):
    upgrade(fresh_database)
    assert differences(fresh_database) == []
    assert tables(fresh_database) == {*Base.metadata.tables, "alembic_version"}
    downgrade(fresh_database)
    assert tables(fresh_database) == {"alembic_version"}
    upgrade(fresh_database)
    assert differences(fresh_database) == []
