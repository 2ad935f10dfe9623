"""The one exception tree for failures that stop a command.

Problems *in the data* are never exceptions: they are findings (values, see
``tacitus.schema.rules``). These exceptions are for what stops a command outright:
a dataset folder that does not exist, an output path that is a file, an unreadable
input. The CLI turns each into a one-line message and exit code 2.
"""

from __future__ import annotations


class TacitusError(Exception):
    """Base of every failure that stops a tacitus command (exit code 2)."""

    exit_code = 2


class UsageError(TacitusError):
    """The command was asked for something that cannot be done (bad path, bad option)."""


class InputError(TacitusError):
    """An input cannot be read at all (missing, not UTF-8, wrong format for --from)."""


class OutputError(TacitusError):
    """An output cannot be written (path is a file, folder is read-only)."""


class CodebookError(TacitusError):
    """A code could not be looked up or parsed (e.g. an invalid actor code)."""


class IntegrityError(TacitusError):
    """A release or download failed verification (checksum mismatch, truncated file)."""
