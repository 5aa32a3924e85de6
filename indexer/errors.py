"""The VanbanError tree: what failed, on what, and what to do about it.

Each class carries the HTTP status the web layer answers with; the CLI prints
``message`` and ``hint`` on one line and exits 1, never a traceback.
"""

from __future__ import annotations

from indexer.messages import vi


class VanbanError(Exception):
    """Base of every error vanban reports to a person."""

    status: int = 500
    hint: str = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class IndexMissingError(VanbanError):
    """No index exists where one was expected."""

    status = 503
    hint = vi("hint.index_missing")


class IndexCorruptError(VanbanError):
    """The index or graph on disk cannot be opened."""

    status = 503
    hint = vi("hint.index_corrupt")


class IndexLockedError(VanbanError):
    """Another process is writing the index."""

    status = 503
    hint = vi("hint.index_locked")


class CorpusError(VanbanError):
    """A corpus path is missing or unusable."""

    status = 400
    hint = vi("hint.corpus")


class UnreadableFileError(VanbanError):
    """One file cannot be read; the reason is shown and the file skipped."""

    status = 422


class QueryError(VanbanError):
    """A search query that cannot be understood."""

    status = 400
    hint = vi("hint.query")


class NotFoundError(VanbanError):
    """An unknown document, symbol or node."""

    status = 404
    hint = vi("hint.not_found")


class PathOutsideCorpusError(NotFoundError):
    """A requested path resolves outside the corpus root."""


class IndexWriteError(VanbanError):
    """The index directory cannot be created or written (permissions, full disk)."""

    status = 500
    hint = vi("hint.index_write")


class GrammarError(VanbanError):
    """A grammar table (``indexer/grammar/*.toml``) lacks a key or has a value of the wrong type."""

    status = 500
    hint = vi("hint.grammar")


class LibraryVersionError(VanbanError):
    """An installed library does not match the version setup.cfg pins."""

    status = 500
    hint = vi("hint.library_version")
