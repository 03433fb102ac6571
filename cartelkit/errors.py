"""The project's exceptions and exit codes, in one place.

Every error a user can fix is a :class:`CartelkitError` carrying a one-line message
and a hint; the CLI turns it into ``error: <message> (<hint>)`` and the exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit codes of the ``cartelkit`` command (documented in the README)."""

    OK = 0
    ERROR = 1  # an error the user can fix; the message says how
    USAGE = 2  # a usage error (bad option, bad argument)
    INTERRUPTED = 130


class CartelkitError(Exception):
    """Base class of every error cartelkit raises on purpose."""

    exit_status: ExitStatus = ExitStatus.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputFileError(CartelkitError):
    """A raw file cannot be used: empty, binary, too large, undecodable."""


class CorpusError(CartelkitError):
    """The corpus folder is missing, unreadable, or a document is unknown."""


class IndexStateError(CartelkitError):
    """The index is missing, corrupt, of another version, or locked."""


class UntrustedIndexError(CartelkitError):
    """An index whose seal or files do not check out: not one this user built. Never opened,
    never rebuilt over."""


class QueryError(CartelkitError):
    """A query string, date filter or actor name cannot be used."""


class UsageError(CartelkitError):
    """Options that conflict or make no sense together, or a bad option value."""

    exit_status = ExitStatus.USAGE


class QuerySyntaxError(QueryError):
    """A query string that cannot be parsed (a usage error: the command's argument is bad)."""

    exit_status = ExitStatus.USAGE


class GoldError(CartelkitError):
    """A gold file for ``cartelkit eval`` is malformed."""


def describe_os_error(exc: OSError) -> str:
    """ "no space left on device in index/gen-…/_MAIN_2.toc": the cause and the file, in one line."""
    cause = (exc.strerror or type(exc).__name__).lower()
    return f"{cause} in {exc.filename}" if exc.filename else cause
