"""The `varde` command: one entry point for running, operating and scripting Varde.

Subcommands are thin: they parse arguments and call services. Apps add their own subcommands
with an ``add_subcommands(subparsers)`` function listed in ``APP_SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Modules that contribute subcommands; missing ones are skipped so the CLI works while an app is
# being built.
APP_SUBCOMMANDS = (
    "varde.strategy.cli",
    "varde.publishing.cli",
    "varde.channels.cli",
    "varde.listening.cli",
    "varde.leads.cli",
    "varde.analytics.cli",
    "varde.inbox.cli",
)

Handler = Callable[[argparse.Namespace], int]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varde.conf.settings")
    import django

    django.setup()


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    from getpass import getpass

    from django.core.exceptions import ValidationError

    from varde.accounts import services

    password = args.password or os.environ.get("VARDE_NEW_USER_PASSWORD") or ""
    if not password and sys.stdin.isatty():
        password = getpass("Password: ")
    if not password:
        print("Give a password with --password or VARDE_NEW_USER_PASSWORD.", file=sys.stderr)
        return 2
    try:
        _check_password(password, email=args.email, full_name=args.name)
        user = services.user_create(email=args.email, full_name=args.name, password=password)
    except ValidationError as error:
        print(" ".join(error.messages), file=sys.stderr)
        return 2
    if args.superuser:
        services.user_make_superuser(user=user)
    print(f"Created {user.email}.")
    return 0


def _check_password(password: str, *, email: str, full_name: str) -> None:
    """The same password rules as the web forms (AUTH_PASSWORD_VALIDATORS): the first user
    made on the command line is usually an owner, the account most worth guessing."""
    from django.contrib.auth.password_validation import validate_password

    from varde.accounts.selectors import user_for_password_check

    validate_password(password, user=user_for_password_check(email=email, full_name=full_name))


def cmd_demo(args: argparse.Namespace) -> int:
    from varde.demo import demo_create

    result = demo_create()
    print(result.summary())
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from varde.worker.run import run_worker

    return run_worker(periodic=not args.no_periodic, threads=args.threads)


def cmd_run(args: argparse.Namespace) -> int:
    # The web and worker processes inherit it; the default public address follows it.
    os.environ["PORT"] = str(args.port)
    from varde.runner import run_all

    return run_all(host=args.host, port=args.port, web_workers=args.web_workers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="varde", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="prepare the database and start web and worker together")
    run.add_argument("--host", default=os.environ.get("VARDE_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    run.set_defaults(handler=cmd_run)

    worker = sub.add_parser("worker", help="run one background worker (any number may run)")
    worker.add_argument("--threads", type=int, default=None, help="task threads in this worker")
    worker.add_argument(
        "--no-periodic",
        action="store_true",
        help="do not schedule periodic tasks here (run them on exactly one worker)",
    )
    worker.set_defaults(handler=cmd_worker)

    demo = sub.add_parser("demo", help="create or refresh the demo workspace (idempotent)")
    demo.set_defaults(handler=cmd_demo)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.add_argument("--verbosity", type=int, default=1)
    migrate.set_defaults(handler=cmd_migrate)

    createuser = sub.add_parser("createuser", help="create a user who can log in")
    createuser.add_argument("--email", required=True)
    createuser.add_argument("--name", required=True, help="full name")
    createuser.add_argument("--password", help="or set VARDE_NEW_USER_PASSWORD")
    createuser.add_argument("--superuser", action="store_true")
    createuser.set_defaults(handler=cmd_createuser)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)

    groups: dict[str, Any] = {}
    for module_name in APP_SUBCOMMANDS:
        try:
            module: Any = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue
            raise
        groups[module_name] = module.add_subcommands(sub)
    _attach_cross_app_commands(groups)
    return parser


def _attach_cross_app_commands(groups: dict[str, Any]) -> None:
    """Commands that sit in a lower app's group but belong to a higher app. The CLI is the top
    layer, so it joins them; the lower app never imports the higher one."""
    from varde.analytics.cli import add_sync_command

    if groups.get("varde.channels.cli") is not None:
        add_sync_command(groups["varde.channels.cli"])


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["varde manage", *args.arguments])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        setup_django()
        parser = build_parser()
        args = parser.parse_args(argv)
        # Apps' subcommands set `func`, ours set `handler`; both take the parsed arguments.
        handler: Handler = getattr(args, "handler", None) or args.func
        return handler(args)
    except ImproperlyConfigured as error:
        # A misconfiguration is one sentence that says what to set, not a traceback.
        print(f"Varde cannot start: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
