"""Alembic, configured from code (no alembic.ini): `python -m desk.migrate` upgrades the database to head.

After changing desk/models.py, write the next migration from the difference with an up-to-date database:
`command.revision(alembic_config(url), message="…", autogenerate=True)` (alembic.command), then read it over.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from desk.settings import get_settings

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation: a % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


if __name__ == "__main__":
    upgrade(get_settings().database_url)
    print("The desk database is up to date.")
