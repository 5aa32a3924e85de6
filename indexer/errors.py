"""The VanbanError tree: what failed, on what, and what to do about it.

Each class carries the HTTP status the web layer answers with; the CLI prints
``message`` and ``hint`` on one line and exits 1, never a traceback.
"""

from __future__ import annotations


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
    hint = "hãy chạy `vanban index` (hoặc `make index`) để tạo chỉ mục"


class IndexCorruptError(VanbanError):
    """The index or graph on disk cannot be opened."""

    status = 503
    hint = "hãy xoá thư mục chỉ mục rồi chạy lại `vanban index` để dựng lại"


class IndexLockedError(VanbanError):
    """Another process is writing the index."""

    status = 503
    hint = "một tiến trình khác đang lập chỉ mục; hãy chờ nó xong rồi thử lại"


class CorpusError(VanbanError):
    """A corpus path is missing or unusable."""

    status = 400
    hint = "hãy kiểm tra lại đường dẫn tới thư mục văn bản"


class UnreadableFileError(VanbanError):
    """One file cannot be read; the reason is shown and the file skipped."""

    status = 422


class QueryError(VanbanError):
    """A search query that cannot be understood."""

    status = 400
    hint = "hãy thử bỏ bớt dấu ngoặc kép hoặc toán tử"


class NotFoundError(VanbanError):
    """An unknown document, symbol or node."""

    status = 404
    hint = "hãy thử tìm kiếm theo số ký hiệu hoặc từ khoá"


class PathOutsideCorpusError(NotFoundError):
    """A requested path resolves outside the corpus root."""


class IndexWriteError(VanbanError):
    """The index directory cannot be created or written (permissions, full disk)."""

    status = 500
    hint = "hãy kiểm tra đường dẫn --index, quyền ghi và dung lượng đĩa"


class GrammarError(VanbanError):
    """A grammar table (``indexer/grammar/*.toml``) lacks a key or has a value of the wrong type."""

    status = 500
    hint = "hãy sửa bảng ngữ pháp theo lược đồ trong indexer/grammar/__init__.py (SCHEMAS)"


class LibraryVersionError(VanbanError):
    """An installed library does not match the version setup.cfg pins."""

    status = 500
    hint = "hãy chạy `make install` để cài đúng phiên bản"
