"""The tacitus command line: one module per command, each thin over the library.

Each command module defines a click command named ``command``; it is registered here.
Failures that stop a command are ``TacitusError``s: printed as one line, exit code 2.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from tacitus import __version__
from tacitus.errors import TacitusError

# Command name -> module under tacitus.cli. Imported lazily so `tacitus codebook`
# does not pay for importing the build or validation stacks.
COMMANDS = {
    "build": "build",
    "validate": "validate",
    "convert": "convert",
    "publish": "publish",
    "codebook": "codebook",
    "schema": "schema_cmd",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _module_exists(COMMANDS[name]))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None or not _module_exists(module_name):
            return None
        module = importlib.import_module(f"tacitus.cli.{module_name}")
        command: click.Command = module.command
        return command


def _module_exists(module_name: str) -> bool:
    return importlib.util.find_spec(f"tacitus.cli.{module_name}") is not None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tacitus")
def cli() -> None:
    """tacitus: conflict-event datasets from annotated news articles."""


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a TacitusError becomes one line on stderr and exit code 2.

    Example: ``main(["codebook", "195"])``
    """
    try:
        cli.main(args=argv, prog_name="tacitus", standalone_mode=False)
    except TacitusError as exc:
        click.echo(f"tacitus: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("tacitus: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
