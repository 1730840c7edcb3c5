"""Ticket numbers ("FR-014"): per language and Brussels day; 001–499 are the desk's, 500–999 the outbox's.

The action server's outbox numbers tickets itself while the desk is unreachable, from its own range,
so that both can hand out numbers on the same day without meeting. Both sides read the ranges and
the format here.
"""

from __future__ import annotations

import re

DESK_NUMBERS = range(1, 500)
OUTBOX_NUMBERS = range(500, 1000)
NUMBER_PATTERN = r"^(FR|NL)-[0-9]{3}$"


def format_number(language: str, sequence: int) -> str:
    return f"{language.upper()}-{sequence:03d}"


def parse_number(number: str) -> tuple[str, int]:
    """("fr", 14) for "FR-014"; ValueError for anything else."""
    if not re.fullmatch(NUMBER_PATTERN, number):
        raise ValueError(f"not a ticket number: {number!r}")
    prefix, digits = number.split("-")
    return prefix.lower(), int(digits)


def outbox_share(instance: int, instances: int) -> range:
    """The outbox numbers action server `instance` (1 to `instances`) gives: every `instances`-th, so that two
    action servers never give one number on the same day (500, 502, 504… and 501, 503, 505… for two)."""
    if not 1 <= instance <= instances:
        raise ValueError(f"instance {instance} of {instances}: it must be from 1 to {instances}")
    return OUTBOX_NUMBERS[instance - 1 :: instances]


def next_in(numbers: range, last: int | None) -> int | None:
    """The first of `numbers` after `last` (after a change of share, the day's numbers still go up), or None."""
    if last is None or last < numbers.start:
        return numbers.start if numbers else None
    following = last + numbers.step - (last - numbers.start) % numbers.step
    return following if following in numbers else None
