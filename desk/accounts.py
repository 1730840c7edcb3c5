"""Counsellor accounts from the command line: `python -m desk.accounts create|disable|enable|set-password|list|demo`.

Exit codes: 0 done, 1 refused (unknown or existing login, password too short, demo outside dev mode),
2 wrong arguments.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from common.clock import utc_now
from common.vocabulary import AREAS, LANGUAGES
from desk.db import Database
from desk.migrate import upgrade
from desk.models import Counsellor
from desk.passwords import MIN_LENGTH, hash_password, random_password
from desk.sessions import revoke_sessions_of
from desk.settings import get_settings

LOGIN_PATTERN = r"[A-Za-z0-9._-]{2,64}"
DEMO_LOGIN = "demo"


class Refused(Exception):
    """Printed as `error: …`, exit code 1."""


def codes(allowed: Sequence[str], what: str):
    """An argparse type: a comma-separated list of codes, each one of `allowed`."""

    def parse(value: str) -> list[str]:
        chosen = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
        wrong = [code for code in chosen if code not in allowed]
        if wrong or not chosen:
            raise argparse.ArgumentTypeError(f"{what} must be among {','.join(allowed)} (got {value!r})")
        return chosen

    return parse


def login_name(value: str) -> str:
    if not re.fullmatch(LOGIN_PATTERN, value):
        raise argparse.ArgumentTypeError("a login has 2 to 64 letters, digits, dots, dashes or underscores")
    return value


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Same password again: ") != password:
            raise Refused("the two passwords differ")
    if len(password) < MIN_LENGTH:
        raise Refused(f"the password must have at least {MIN_LENGTH} characters")
    return password


def find(session: Session, login: str) -> Counsellor:
    counsellor = session.scalar(sa.select(Counsellor).where(Counsellor.login == login))
    if counsellor is None:
        raise Refused(f"no account {login!r}")
    return counsellor


def create(session: Session, args: argparse.Namespace) -> str:
    if session.scalar(sa.select(Counsellor.id).where(Counsellor.login == args.login)) is not None:
        raise Refused(f"account {args.login!r} already exists")
    session.add(
        Counsellor(
            login=args.login,
            password_hash=hash_password(read_password(args.password_stdin)),
            languages=args.languages,
            areas=args.areas,
            is_manager=args.manager,
            ui_language=args.languages[0],
        )
    )
    return f"Account {args.login!r} created" + (" (manager)." if args.manager else ".")


def set_disabled(session: Session, login: str, disabled: bool) -> str:
    counsellor = find(session, login)
    counsellor.disabled = disabled
    if disabled:
        revoke_sessions_of(session, counsellor, utc_now())
    return f"Account {login!r} {'disabled: its sessions are ended' if disabled else 'enabled'}."


def set_password(session: Session, args: argparse.Namespace) -> str:
    """A password changed because it leaked must not leave a session opened with it."""
    counsellor = find(session, args.login)
    counsellor.password_hash = hash_password(read_password(args.password_stdin))
    revoke_sessions_of(session, counsellor, utc_now())
    return f"Password of {args.login!r} changed: its sessions are ended."


def listing(session: Session, _args: argparse.Namespace) -> str:
    rows = [f"{'login':<20}{'languages':<10}{'areas':<52}{'on duty':<9}{'manager':<9}disabled"]
    for c in session.scalars(sa.select(Counsellor).order_by(Counsellor.login)):
        rows.append(
            f"{c.login:<20}{','.join(c.languages):<10}{','.join(c.areas):<52}"
            f"{'yes' if c.on_duty else 'no':<9}{'yes' if c.is_manager else 'no':<9}"
            f"{'yes' if c.disabled else 'no'}"
        )
    return "\n".join(rows)


def demo(session: Session, _args: argparse.Namespace) -> str:
    """Development only: an account covering everything, with a fresh password each time."""
    if not get_settings().dev_mode:
        raise Refused("the demo account exists in development mode only (PASSERELLE_DEV_MODE=true)")
    counsellor = session.scalar(sa.select(Counsellor).where(Counsellor.login == DEMO_LOGIN))
    if counsellor is None:
        counsellor = Counsellor(login=DEMO_LOGIN)
        session.add(counsellor)
    password = random_password()
    counsellor.password_hash = hash_password(password)
    counsellor.languages, counsellor.areas = list(LANGUAGES), list(AREAS)
    counsellor.on_duty, counsellor.is_manager, counsellor.disabled = True, True, False
    return f"login: {DEMO_LOGIN}\npassword: {password}"


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m desk.accounts", description="Counsellor accounts of the desk.")
    commands = main.add_subparsers(dest="command", required=True)
    new = commands.add_parser("create", help="create an account (password asked, or read from stdin)")
    new.add_argument("login", type=login_name)
    new.add_argument("--languages", required=True, type=codes(LANGUAGES, "languages"), help="e.g. fr,nl")
    new.add_argument("--areas", required=True, type=codes(AREAS, "areas"), help="e.g. training,employment")
    new.add_argument("--manager", action="store_true", help="may see the statistics")
    new.add_argument("--password-stdin", action="store_true", help="read the password from stdin (scripts)")
    new.set_defaults(run=create)
    for name, disabled in (("disable", True), ("enable", False)):
        command = commands.add_parser(name, help=f"{name} an account")
        command.add_argument("login")
        command.set_defaults(run=lambda session, args, disabled=disabled: set_disabled(session, args.login, disabled))
    password = commands.add_parser("set-password", help="set a new password")
    password.add_argument("login")
    password.add_argument("--password-stdin", action="store_true", help="read the password from stdin (scripts)")
    password.set_defaults(run=set_password)
    commands.add_parser("list", help="list the accounts").set_defaults(run=listing)
    commands.add_parser("demo", help="development mode: create or reset the demo account").set_defaults(run=demo)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = get_settings()
    upgrade(settings.database_url)
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            message = args.run(session, args)
            session.commit()
    except Refused as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
