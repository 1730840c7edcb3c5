"""Duty ends when the centre closes (desk/duty.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from desk.duty import ClosingWatch, end_duty
from desk.models import Counsellor

# knowledge/centre.yml: Monday 09:00-17:00 in Brussels (UTC+1 in December).
MONDAY_MORNING = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
MONDAY_BEFORE_CLOSING = datetime(2026, 12, 7, 15, 59, tzinfo=timezone.utc)
MONDAY_EVENING = datetime(2026, 12, 7, 16, 1, tzinfo=timezone.utc)
TUESDAY_EARLY = datetime(2026, 12, 8, 7, 30, tzinfo=timezone.utc)


def test_only_a_closing_seen_ends_duty(desk_settings):
    centre = desk_settings.centre_info_file
    started_at_night = ClosingWatch()
    assert not started_at_night.closed_since(centre, TUESDAY_EARLY)  # a counsellor on duty before opening keeps it
    watch = ClosingWatch()
    assert not watch.closed_since(centre, MONDAY_MORNING)
    assert not watch.closed_since(centre, MONDAY_BEFORE_CLOSING)
    assert watch.closed_since(centre, MONDAY_EVENING)
    assert not watch.closed_since(centre, MONDAY_EVENING)  # once per closing
    assert not watch.closed_since(centre, TUESDAY_EARLY)


def test_everyone_goes_off_duty(app, make_counsellor):
    make_counsellor("ana", on_duty=True)
    make_counsellor("bert", on_duty=True)
    make_counsellor("cleo", on_duty=False)
    assert end_duty(app.state.database) == 2
    with app.state.database.session() as session:
        assert not session.scalars(sa.select(Counsellor).where(Counsellor.on_duty)).all()
