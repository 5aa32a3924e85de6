"""Every message the library raises or reports to a person, in one catalogue.

Each entry has an id, the Vietnamese text people see and the English reason
written to the log; both take the same named placeholders. Library code
raises and reports through :func:`say` (Vietnamese out, English logged) or
:func:`vi` (hints, nothing logged), never through a literal.
``tests/test_messages.py`` checks that every entry is used and that every
call fills exactly its placeholders. The web UI's own strings live in
``web/messages.py``.

>>> say("query.filter_empty", name="year")
'Bộ lọc year: chưa có giá trị'
>>> english("query.filter_empty", name="year")
'filter year has no value'
"""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One catalogue entry: ``vi`` is shown, ``en`` is logged."""

    id: str
    vi: str
    en: str

    @property
    def placeholders(self) -> frozenset[str]:
        """The named fields ``vi`` takes (``en`` takes the same ones)."""
        return _fields(self.vi)


def _fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


_ENTRIES = (
    # --- hints of the error classes (indexer/errors.py) ----------------------
    Message(
        "hint.index_missing",
        "hãy chạy `vanban index` (hoặc `make index`) để tạo chỉ mục",
        "run `vanban index` (or `make index`) to create the index",
    ),
    Message(
        "hint.index_corrupt",
        "hãy xoá thư mục chỉ mục rồi chạy lại `vanban index` để dựng lại",
        "delete the index folder and run `vanban index` again to rebuild it",
    ),
    Message(
        "hint.index_locked",
        "một tiến trình khác đang lập chỉ mục; hãy chờ nó xong rồi thử lại",
        "another process is indexing; wait for it to finish and try again",
    ),
    Message(
        "hint.corpus",
        "hãy kiểm tra lại đường dẫn tới thư mục văn bản",
        "check the path to the documents folder",
    ),
    Message(
        "hint.query",
        "hãy thử bỏ bớt dấu ngoặc kép hoặc toán tử",
        "try removing some quotes or operators",
    ),
    Message(
        "hint.not_found",
        "hãy thử tìm kiếm theo số ký hiệu hoặc từ khoá",
        "try searching by symbol or keyword",
    ),
    Message(
        "hint.index_write",
        "hãy kiểm tra đường dẫn --index, quyền ghi và dung lượng đĩa",
        "check the --index path, write permission and free disk space",
    ),
    Message(
        "hint.grammar",
        "hãy sửa bảng ngữ pháp theo lược đồ trong indexer/grammar/__init__.py (SCHEMAS)",
        "fix the grammar table to match its schema in indexer/grammar/__init__.py (SCHEMAS)",
    ),
    Message(
        "hint.library_version",
        "hãy chạy `make install` để cài đúng phiên bản",
        "run `make install` to install the pinned versions",
    ),
    # --- libraries (indexer/internals/versions.py) ----------------------------
    Message(
        "version.missing",
        "vanban cần {name}{specifiers} (setup.cfg) nhưng {name} chưa được cài",
        "vanban needs {name}{specifiers} (setup.cfg) but {name} is not installed",
    ),
    Message(
        "version.mismatch",
        "vanban cần {name}{specifiers} (setup.cfg) nhưng đang cài {name} {installed}",
        "vanban needs {name}{specifiers} (setup.cfg) but {name} {installed} is installed",
    ),
    # --- the index on disk (indexer/index/) ----------------------------------
    Message("index.missing", "Chưa có chỉ mục tại {index_dir}", "no index at {index_dir}"),
    Message(
        "index.other_version",
        "Chỉ mục tại {index_dir} được tạo bởi một phiên bản vanban khác",
        "the index at {index_dir} was built by another vanban version",
    ),
    Message(
        "hint.index_other_version",
        "hãy chạy lại `vanban index`: chỉ mục sẽ được dựng lại",
        "run `vanban index` again: the index will be rebuilt",
    ),
    Message(
        "index.corrupt",
        "Chỉ mục tại {index_dir} bị hỏng ({failure})",
        "the index at {index_dir} is corrupt ({failure})",
    ),
    Message(
        "hint.index_rebuild",
        "hãy chạy `vanban index --index {index_dir}` để dựng lại chỉ mục",
        "run `vanban index --index {index_dir}` to rebuild the index",
    ),
    Message(
        "index.locked",
        "Chỉ mục tại {index_dir} đang bị khoá",
        "the index at {index_dir} is locked",
    ),
    Message(
        "index.locked_by",
        "Chỉ mục tại {index_dir} đang bị khoá bởi tiến trình {pid}",
        "the index at {index_dir} is locked by process {pid}",
    ),
    Message(
        "index.stale_lock_removed",
        "đã gỡ khóa cũ của tiến trình {pid} (không còn chạy)",
        "removed the stale lock of process {pid} (no longer running)",
    ),
    Message(
        "index.write_failed",
        "Không ghi được chỉ mục tại {where}: {detail}",
        "cannot write the index at {where}: {detail}",
    ),
    Message(
        "index.duplicate_id",
        "trùng mã văn bản {doc_id} với một tệp khác",
        "document id {doc_id} is already taken by another file",
    ),
    # --- the citation graph (indexer/graph/, vanban graph) -------------------
    Message(
        "graph.missing",
        "Chưa có đồ thị liên kết tại {source}",
        "no citation graph at {source}",
    ),
    Message(
        "hint.graph_create",
        "hãy chạy `{rebuild}` để tạo chỉ mục",
        "run `{rebuild}` to create the index",
    ),
    Message(
        "graph.unreadable",
        "Không đọc được đồ thị {source}: {detail}",
        "cannot read the graph {source}: {detail}",
    ),
    Message(
        "graph.other_version",
        "Đồ thị {source} thuộc phiên bản khác",
        "the graph {source} was built by another version",
    ),
    Message("hint.graph_rebuild", "hãy chạy lại `{rebuild}`", "run `{rebuild}` again"),
    Message(
        "graph.no_node",
        "Không có văn bản {key!r} trong đồ thị liên kết",
        "no document {key!r} in the citation graph",
    ),
    Message(
        "hint.graph_no_node",
        "hãy kiểm tra số ký hiệu (ví dụ 29-CT/TW) hoặc tìm bằng `vanban search`",
        "check the symbol (e.g. 29-CT/TW) or look it up with `vanban search`",
    ),
    Message(
        "graph.zip_to_terminal",
        "Định dạng {fmt} là tệp zip, không in ra màn hình",
        "format {fmt} is a zip file and is not printed to a terminal",
    ),
    Message(
        "hint.graph_output",
        "hãy dùng -o FILE hoặc chuyển hướng đầu ra vào một tệp",
        "use -o FILE or redirect the output to a file",
    ),
    # --- what the command line reports (indexer/cli/) ------------------------
    Message(
        "cli.skipped",
        "vanban: bỏ qua {path}: {reason}",
        "vanban: skipped {path}: {reason}",
    ),
    Message(
        "cli.extract_skipped",
        "vanban: bỏ qua (skipped) {path}: {reason}",
        "vanban: skipped {path}: {reason}",
    ),
    Message(
        "cli.index_summary",
        "Chỉ mục: {indexed} đã lập (indexed), {skipped} không đổi (skipped), "
        "{removed} đã xoá (removed), {failed} lỗi (failed) - {seconds:.2f} s; "
        "đoạn văn: {segmented} phân đoạn mới, {cached} dùng lại",
        "Index: {indexed} indexed, {skipped} skipped, {removed} removed, {failed} failed "
        "- {seconds:.2f} s; paragraphs: {segmented} segmented, {cached} reused",
    ),
    Message("cli.index_failed", "  lỗi: {path}: {reason}", "  failed: {path}: {reason}"),
    Message(
        "cli.serve_indexing",
        "vanban: chưa có chỉ mục tại {index_dir}; đang lập chỉ mục {corpus_dir} …",
        "vanban: no index at {index_dir}; indexing {corpus_dir} …",
    ),
    Message(
        "cli.serve_indexed",
        "vanban: đã lập chỉ mục {indexed} văn bản, lỗi {failed} ({seconds:.1f} s)",
        "vanban: indexed {indexed} documents, {failed} failed ({seconds:.1f} s)",
    ),
    Message(
        "cli.serve_ready",
        "vanban: giao diện web tại http://{host}:{port}/ (Ctrl+C để dừng)",
        "vanban: web UI at http://{host}:{port}/ (Ctrl+C to stop)",
    ),
    Message(
        "cli.no_implementers",
        "(chưa có văn bản nào trong kho triển khai văn bản này)",
        "(no document in the corpus implements this one yet)",
    ),
    Message(
        "cli.search_header",
        "{total} kết quả cho «{query}»{folded} - trang {page}/{pages}",
        "{total} hits for «{query}»{folded} - page {page}/{pages}",
    ),
    Message("cli.search_folded", " (tìm không dấu)", " (searched without diacritics)"),
    # --- extraction warnings, shown on the document page ----------------------
    Message(
        "extract.empty_text",
        "văn bản trống, không có gì để trích xuất",
        "empty text",
    ),
    # --- search (indexer/search/) --------------------------------------------
    Message(
        "query.unclosed_quote",
        "Truy vấn thiếu dấu ngoặc kép đóng",
        "the query lacks a closing double quote",
    ),
    Message(
        "query.filter_empty",
        "Bộ lọc {name}: chưa có giá trị",
        "filter {name} has no value",
    ),
    Message(
        "query.too_long",
        "Truy vấn quá dài (tối đa {max_chars} ký tự)",
        "the query is too long (at most {max_chars} characters)",
    ),
    Message(
        "query.bad_year",
        "Năm không hợp lệ: {value!r} (cần 4 chữ số, ví dụ year:2024)",
        "invalid year {value!r} (4 digits are needed, e.g. year:2024)",
    ),
    Message(
        "query.or_position",
        "Toán tử OR phải đứng giữa hai từ hoặc cụm từ",
        "OR must stand between two words or phrases",
    ),
    Message(
        "query.or_with_not",
        "Không dùng OR cùng với điều kiện loại trừ (-)",
        "OR cannot be combined with an exclusion (-)",
    ),
    Message(
        "query.only_not",
        "Truy vấn chỉ có điều kiện loại trừ; hãy thêm từ cần tìm",
        "the query has only exclusions; add a word to look for",
    ),
    Message(
        "search.bad_filter",
        "Bộ lọc không hợp lệ: {name} (dùng kind, year, level, issuer)",
        "invalid filter {name} (use kind, year, level, issuer)",
    ),
    Message(
        "search.bad_sort",
        "Cách sắp xếp không hợp lệ: {sort!r} (dùng relevance hoặc date)",
        "invalid sort {sort!r} (use relevance or date)",
    ),
    Message(
        "search.bad_page",
        "Trang không hợp lệ (page ≥ 1, 1 ≤ per_page ≤ {max_per_page})",
        "invalid page (page >= 1, 1 <= per_page <= {max_per_page})",
    ),
    Message("search.empty_query", "Hãy nhập từ khoá cần tìm", "the query is empty"),
    Message("hint.empty_query", "ví dụ: phổ cập giáo dục", "e.g. phổ cập giáo dục"),
    Message(
        "search.no_document",
        "Không có văn bản {doc_id!r} trong chỉ mục",
        "no document {doc_id!r} in the index",
    ),
    # --- the corpus and its files (indexer/load/) ----------------------------
    Message(
        "corpus.path_outside",
        "đường dẫn nằm ngoài kho văn bản: {rel!r}",
        "path outside the corpus: {rel!r}",
    ),
    Message("file.missing", "không có tệp hoặc thư mục này", "no such file or directory"),
    Message("file.unprocessed", "không xử lý được", "could not be processed"),
    Message(
        "corpus.path_missing",
        "không có tệp hoặc thư mục {path}; chỉ mục không thay đổi",
        "no file or folder {path}; the index is unchanged",
    ),
    Message(
        "corpus.path_unreadable",
        "không đọc được {path} (không có quyền đọc); chỉ mục không thay đổi",
        "cannot read {path} (no read permission); the index is unchanged",
    ),
    Message(
        "index.remove_unknown",
        "chỉ mục không có văn bản nào là hoặc nằm dưới {target}; chưa xoá gì",
        "no indexed document is or lies under {target}; nothing was removed",
    ),
    Message(
        "cli.removed",
        "đã xoá khỏi chỉ mục: {doc_id} ({path})",
        "removed from the index: {doc_id} ({path})",
    ),
    Message(
        "cli.forgotten",
        "không còn cập nhật thư mục: {path}",
        "no longer refreshed: {path}",
    ),
    Message(
        "cli.remove_summary",
        "{removed} văn bản đã xoá khỏi chỉ mục",
        "{removed} documents removed from the index",
    ),
    Message(
        "corpus.remembered_missing",
        "thư mục đã lập chỉ mục không còn: {path}; các văn bản của nó được giữ nguyên",
        "an indexed folder is gone: {path}; its documents are kept",
    ),
    Message(
        "file.unsupported_type",
        "loại tệp không được hỗ trợ: {suffix!r}",
        "unsupported file type {suffix!r}",
    ),
    Message("hint.supported_types", "hỗ trợ: {suffixes}", "supported: {suffixes}"),
    Message(
        "file.cannot_list",
        "không liệt kê được thư mục ({detail})",
        "cannot list folder ({detail})",
    ),
    Message(
        "file.symlink_loop",
        "liên kết tượng trưng tạo vòng lặp, bỏ qua",
        "symbolic link loop, skipped",
    ),
    Message(
        "file.symlink_broken",
        "liên kết tượng trưng hỏng (đích không tồn tại), bỏ qua",
        "broken symbolic link (its target does not exist), skipped",
    ),
    Message(
        "file.symlink_unfollowable",
        "không theo được liên kết tượng trưng ({detail})",
        "cannot follow symbolic link ({detail})",
    ),
    Message(
        "file.symlink_outside",
        "liên kết tượng trưng trỏ ra ngoài kho văn bản, bỏ qua",
        "symbolic link pointing outside the corpus, skipped",
    ),
    Message(
        "file.too_large",
        "tệp quá lớn ({size} > giới hạn {limit})",
        "file too large ({size} > {limit} limit)",
    ),
    Message("file.cannot_open", "không mở được tệp ({detail})", "cannot open file ({detail})"),
    Message(
        "file.unexpected",
        "lỗi không lường trước khi xử lý tệp ({detail})",
        "unexpected error while processing the file ({detail})",
    ),
    Message("file.empty", "tệp rỗng (0 byte)", "empty file (0 bytes)"),
    Message(
        "file.no_text",
        "tệp không có chữ (đọc theo mã {encoding})",
        "no text in the file (read as {encoding})",
    ),
    Message(
        "file.binary_format",
        "dữ liệu nhị phân, không phải văn bản: đây là tệp {format}",
        "binary data, not text: this is a {format} file",
    ),
    Message(
        "file.binary_nul",
        "dữ liệu nhị phân, không phải văn bản (có byte NUL)",
        "binary data, not text (NUL bytes)",
    ),
    Message(
        "file.binary_decoded",
        "dữ liệu nhị phân, không phải văn bản (đã thử mã {codec})",
        "binary data, not text (tried {codec})",
    ),
    Message(
        "file.bad_encoding",
        "không phải văn bản {codec} hợp lệ ({detail})",
        "not valid {codec} text ({detail})",
    ),
    Message(
        "file.bad_docx",
        "không phải tệp .docx hợp lệ ({detail})",
        "not a valid .docx file ({detail})",
    ),
    Message(
        "hint.bad_docx",
        "hãy mở bằng Word và lưu lại dưới dạng .docx",
        "save it again from Word as .docx",
    ),
    Message(
        "file.pdf_encrypted",
        "PDF được mã hoá, cần mật khẩu",
        "encrypted PDF, a password is needed",
    ),
    Message(
        "hint.pdf_encrypted",
        "hãy lưu một bản không đặt mật khẩu",
        "save an unprotected copy",
    ),
    Message(
        "file.pdf_corrupt",
        "PDF hỏng hoặc không đọc được ({detail})",
        "corrupt or unreadable PDF ({detail})",
    ),
    Message(
        "file.pdf_no_text",
        "PDF không có lớp chữ, cần nhận dạng ký tự (OCR)",
        "no text layer, OCR needed",
    ),
    Message(
        "hint.pdf_no_text",
        "hãy chạy OCR cho bản quét (ví dụ ocrmypdf) rồi thêm kết quả vào kho",
        "run OCR on the scan (e.g. ocrmypdf) and add the result",
    ),
)

CATALOGUE: dict[str, Message] = {m.id: m for m in _ENTRIES}


def vi(msg_id: str, **values: object) -> str:
    """The Vietnamese text of ``msg_id`` with its placeholders filled; nothing is logged.

    >>> vi("index.missing", index_dir="var/index")
    'Chưa có chỉ mục tại var/index'
    """
    return CATALOGUE[msg_id].vi.format(**values)


def english(msg_id: str, **values: object) -> str:
    """The English reason of ``msg_id``, as the log has it.

    >>> english("index.missing", index_dir="var/index")
    'no index at var/index'
    """
    return CATALOGUE[msg_id].en.format(**values)


def say(msg_id: str, **values: object) -> str:
    """Log the English reason of ``msg_id`` (debug) and return its Vietnamese text.

    >>> say("index.locked_by", index_dir="var/index", pid=42)
    'Chỉ mục tại var/index đang bị khoá bởi tiến trình 42'
    """
    log.debug("%s: %s", msg_id, english(msg_id, **values))
    return vi(msg_id, **values)
