"""Command line for accounts and operations: `python -m etl users|backup|restore`.

Kept apart from etl/cli/main.py; `register(commands)` adds the commands to its parser.
Whoever runs these commands has the data folder in hand, so they act as an admin
named after the operating-system user (for the audit log).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path

from etl.config import Settings
from etl.errors import InputError
from etl.i18n import t
from etl.services import account_store, accounts, passwords
from etl.services.access import SIGNED_IN, Caller, Role


def operator() -> Caller:
    """The person at the terminal, as the audit log names them."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "?"
    return Caller(f"cli:{name}", Role.ADMIN)


def role_name(role: Role | str, lang: str) -> str:
    return t(f"accounts.roles.{Role(role).value}", lang)


def state_name(account: account_store.Account, now: datetime, lang: str) -> str:
    if account.disabled:
        return t("accounts.state.disabled", lang)
    return t("accounts.state.locked" if account.is_locked(now) else "accounts.state.active", lang)


def _read_password(args: argparse.Namespace, username: str) -> str:
    """From standard input (--password-stdin, for scripts) or asked twice without echo."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(t("accounts.cli.prompt_password", args.lang, username=username))
        again = getpass.getpass(t("accounts.cli.prompt_again", args.lang))
        if password != again:
            raise InputError("accounts.passwords_differ")
    passwords.check_password(password, account_store.normalise_username(username))
    return password


def cmd_users_add(args: argparse.Namespace, settings: Settings) -> int:
    password = _read_password(args, args.username)
    account = accounts.add_user(
        settings,
        operator(),
        username=args.username,
        password=password,
        role=args.role,
        org_code=args.org,
        display_name=args.name or "",
        email=args.email,
    )
    print(t("accounts.cli.added", args.lang, username=account.username, role=role_name(account.role, args.lang)))
    return 0


def cmd_users_disable(args: argparse.Namespace, settings: Settings) -> int:
    account = accounts.disable_user(settings, operator(), args.username)
    print(t("accounts.cli.disabled", args.lang, username=account.username))
    return 0


def cmd_users_enable(args: argparse.Namespace, settings: Settings) -> int:
    account = accounts.enable_user(settings, operator(), args.username)
    print(t("accounts.cli.enabled", args.lang, username=account.username))
    return 0


def cmd_users_reset(args: argparse.Namespace, settings: Settings) -> int:
    if account_store.get_account(settings, args.username) is None:  # say so before asking for a password
        from etl.errors import NotFoundError

        raise NotFoundError("accounts.not_found", username=account_store.normalise_username(args.username))
    account = accounts.reset_password(settings, operator(), args.username, _read_password(args, args.username))
    print(t("accounts.cli.reset", args.lang, username=account.username))
    return 0


def cmd_users_list(args: argparse.Namespace, settings: Settings) -> int:
    lang = args.lang
    users = accounts.list_users(settings, operator())
    if not users:
        print(t("accounts.cli.list_empty", lang))
        return 0
    now = account_store.utcnow()
    header = [t(f"accounts.cli.column_{c}", lang) for c in ("username", "name", "email", "role", "org", "state")]
    rows = [header] + [
        [a.username, a.display_name, a.email or "", role_name(a.role, lang), a.org_code or "", state_name(a, now, lang)]
        for a in users
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from etl.ops.backup import backup

    print(t("backup.started", args.lang), flush=True)
    folder = backup(settings, Path(args.output) if args.output else None, actor=operator().username)
    from etl.ops.backup import read_manifest

    manifest = read_manifest(folder)
    megabytes = round(manifest.total_bytes / 1_000_000, 1)
    print(t("backup.done", args.lang, path=str(folder), files=len(manifest.files), megabytes=megabytes))
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from etl.ops.backup import restore

    print(t("backup.restore_started", args.lang, path=str(args.folder)), flush=True)
    restored = restore(settings, Path(args.folder), force=args.force, actor=operator().username)
    version = restored.manifest.data_version
    print(
        t(
            "backup.restored",
            args.lang,
            path=str(settings.data_dir),
            files=len(restored.manifest.files),
            version=str(version) if version is not None else "–",
            seconds=round(restored.seconds, 1),
        )
    )
    if restored.replaced:
        print(t("backup.replaced_kept", args.lang, path=str(restored.replaced)))
    print(t("backup.restart_dashboard", args.lang))
    return 0


def print_demo_accounts(settings: Settings, lang: str) -> None:
    """Create the public demo accounts beside the synthetic demo data and print them."""
    from etl.demo import accounts as demo_accounts

    created = demo_accounts.ensure(settings)
    if not created:
        return
    print()
    print(t("accounts.demo.header", lang))
    name_width = max(len(d.username) for d in created)
    password_width = max(len(d.password) for d in created)
    for demo in created:
        org = f" ({demo.org_code})" if demo.org_code else ""
        role = role_name(demo.role, lang)
        print(f"  {demo.username.ljust(name_width)}  {demo.password.ljust(password_width)}  {role}{org}")
    print(t("accounts.demo.footer", lang))


def register(commands: argparse._SubParsersAction) -> None:
    """Add `users`, `backup` and `restore` to the parser of etl/cli/main.py."""
    users = commands.add_parser("users", help="accounts: add, disable, enable, reset, list")
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    add = actions.add_parser("add", help="create an account (the password is asked, or read with --password-stdin)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in SIGNED_IN])
    add.add_argument("--org", default=None, help="organisation code (members and reporters)")
    add.add_argument("--name", default=None, help="display name")
    add.add_argument("--email", default=None, help="e-mail (also used for single sign-on)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_users_add)

    disable = actions.add_parser("disable", help="stop an account from signing in")
    disable.add_argument("username")
    disable.set_defaults(func=cmd_users_disable)

    enable = actions.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("username")
    enable.set_defaults(func=cmd_users_enable)

    reset = actions.add_parser("reset", help="set a new password (also ends a lockout)")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    reset.set_defaults(func=cmd_users_reset)

    listing = actions.add_parser("list", help="every account with its role and state (never a hash)")
    listing.set_defaults(func=cmd_users_list)

    backup = commands.add_parser("backup", help="a consistent, hash-checked copy of all data and accounts")
    backup.add_argument("-o", "--output", default=None, help="parent folder of the backup (default: ../backups)")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="check a backup's hashes and restore it as the data folder")
    restore.add_argument("folder", help="a backup folder written by `backup`")
    restore.add_argument("--force", action="store_true", help="replace a data folder that holds data (kept aside)")
    restore.set_defaults(func=cmd_restore)
