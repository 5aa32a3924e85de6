"""Bytes on disk -> normalised text, one loader per file format.

``load_bytes(data, suffix)`` is the one entry point: it picks the loader for the
suffix, decodes, and runs :func:`indexer.normalize.normalize_text` exactly once.
A file that cannot be read raises :class:`UnreadableFileError` whose message is
a one-line reason a person can act on, in Vietnamese from :mod:`indexer.messages`
("PDF không có lớp chữ, cần nhận dạng ký tự (OCR)").

Plain text is decoded in this order: a byte-order mark (UTF-8, UTF-16, UTF-32),
UTF-16 without a BOM (recognised by its NUL bytes), strict UTF-8, then the
legacy 8-bit encodings still found in Vietnamese offices (Windows-1258, TCVN3
``.VnTime``, VNI ``VNI-Times``), chosen by how Vietnamese the result reads. Text
typed in a TCVN3 or VNI font but saved as Unicode is repaired too.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from indexer.errors import UnreadableFileError
from indexer.load import legacy
from indexer.messages import say, vi
from indexer.normalize import normalize_text

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")

# Share of control characters above which "text" is taken to be binary data.
MAX_CONTROL_SHARE = 0.02
# UTF-8 with at most this many invalid bytes, each among this many good
# multi-byte characters, is still UTF-8.
MAX_BAD_UTF8 = 3
MIN_GOOD_PER_BAD = 5
# Share of NUL bytes at odd (even) offsets that marks UTF-16-LE (BE) without BOM.
MIN_UTF16_NUL_SHARE = 0.3

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Magic numbers of binary formats that people rename to .txt by mistake.
_MAGIC = (
    (b"PK\x03\x04", "ZIP (.docx?)"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "Word/Excel 97-2003 (.doc/.xls)"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
)
_ALLOWED_CONTROLS = frozenset("\n\r\t\f\v")
# Block-level HTML elements after which a line break is kept.
_HTML_BLOCKS = [
    *("p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"),
    *("section", "article", "header", "footer", "blockquote", "pre", "title", "dt", "dd"),
    *("address", "nav", "aside", "main", "figure", "figcaption", "hr", "form"),
]
_HTML_DROP = ("script", "style", "noscript", "template", "head")


@dataclass(frozen=True)
class LoadedText:
    """Normalised text and how it was decoded ("utf-8", "docx", "tcvn3", …)."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def load_bytes(data: bytes, suffix: str) -> LoadedText:
    """Decode ``data`` read from a file with ``suffix`` and normalise it once.

    >>> load_bytes("Ủy ban nhân dân".encode("utf-16"), ".txt").text
    'Ủy ban nhân dân'

    Raises:
        UnreadableFileError: with a one-line human reason.
    """
    suffix = suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise UnreadableFileError(
            say("file.unsupported_type", suffix=suffix or "(none)"),
            vi("hint.supported_types", suffixes=" ".join(SUPPORTED_SUFFIXES)),
        )
    if not data:
        raise UnreadableFileError(say("file.empty"))
    raw, encoding, notes = loader(data)
    text = normalize_text(raw)
    if not text.strip():
        raise UnreadableFileError(say("file.no_text", encoding=encoding))
    return LoadedText(text, encoding, tuple(notes))


# --- plain text ------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode plain-text bytes: BOM, UTF-16 by NULs, UTF-8, then legacy encodings.

    Returns the (not yet normalised) text, the encoding name and notes.

    >>> decode_text(legacy.encode_cp1258("Phòng Giáo dục và Đào tạo"))[:2]
    ('Phòng Giáo dục và Đào tạo', 'cp1258')
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnreadableFileError(say("file.binary_format", format=what))
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, codec), codec), codec.removesuffix("-sig"), []
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _checked(_strict(data, utf16), utf16), utf16, ["UTF-16 without byte-order mark"]
    if b"\x00" in data:
        raise UnreadableFileError(say("file.binary_nul"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        lenient = _mostly_utf8(data)
        if lenient is not None:
            return _checked(lenient[0], "utf-8"), "utf-8", [lenient[1]]
        text, codec = legacy.decode_8bit(data)
        return _checked(text, codec), codec, [f"decoded as legacy encoding {codec}"]
    repaired = legacy.repair_font_text(text)
    if repaired is not None:
        fixed, font = repaired
        return fixed, "utf-8", [f"text typed in a {font} font, converted to Unicode"]
    return _checked(text, "utf-8"), "utf-8", []


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 cut mid-character (a page stored up to a byte limit), or with a stray
    byte among many good sequences: still UTF-8, not a legacy encoding."""
    for cut in (1, 2, 3):
        try:
            return data[:-cut].decode("utf-8"), "UTF-8 cut inside its last character"
        except UnicodeDecodeError:
            continue
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in lenient if ch > "\x7f" and ch != "\ufffd")
    if bad <= MAX_BAD_UTF8 and good >= MIN_GOOD_PER_BAD * bad:
        return lenient, f"{bad} invalid UTF-8 byte(s) replaced"
    return None


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise UnreadableFileError(say("file.bad_encoding", codec=codec, detail=err.reason)) from err


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd >= MIN_UTF16_NUL_SHARE and even < 0.05:
        return "utf-16-le"
    if even >= MIN_UTF16_NUL_SHARE and odd < 0.05:
        return "utf-16-be"
    # Vietnamese text is mostly in U+1Exx and U+00xx: few NULs, but a steady
    # high byte. Look for the pattern "one of 0x00/0x01/0x1E every other byte".
    highs = {0x00, 0x01, 0x1E, 0x20}
    odd_high = sum(b in highs for b in sample[1::2]) / (len(sample) / 2)
    even_high = sum(b in highs for b in sample[0::2]) / (len(sample) / 2)
    if odd_high > 0.9 and even_high < 0.5 and sample[1::2].count(0) > 0:
        return "utf-16-le"
    if even_high > 0.9 and odd_high < 0.5 and sample[0::2].count(0) > 0:
        return "utf-16-be"
    return None


def _checked(text: str, codec: str) -> str:
    """Refuse decoded text that is mostly control characters (binary data)."""
    if not text:
        return text
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    controls += text.count("\ufffd")
    if controls / len(text) > MAX_CONTROL_SHARE:
        raise UnreadableFileError(say("file.binary_decoded", codec=codec))
    return text


def _load_text(data: bytes) -> tuple[str, str, list[str]]:
    return decode_text(data)


# --- docx ------------------------------------------------------------------


def _load_docx(data: bytes) -> tuple[str, str, list[str]]:
    """Paragraphs and tables in document order; a table row is one line, cells joined by " | "."""
    import docx  # python-docx, imported late: only .docx files need it
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises zipfile, KeyError, lxml errors…
        raise UnreadableFileError(
            say("file.bad_docx", detail=type(err).__name__),
            vi("hint.bad_docx"),
        ) from err
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            lines.extend(_table_lines(Table(element, document)))
    return "\n".join(lines), "docx", []


def _table_lines(table: object) -> list[str]:
    lines = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            if any(cell._tc is other for other in seen):  # a merged cell repeats
                continue
            seen.append(cell._tc)
            text = " ".join(part.strip() for part in cell.text.splitlines() if part.strip())
            cells.append(text)
        lines.append(" | ".join(cells).strip(" |"))
    return lines


# --- pdf -------------------------------------------------------------------


def _load_pdf(data: bytes) -> tuple[str, str, list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not _decrypts_without_password(reader):
                raise UnreadableFileError(say("file.pdf_encrypted"), vi("hint.pdf_encrypted"))
            pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        raise UnreadableFileError(
            say("file.pdf_corrupt", detail=str(err).partition("\n")[0])
        ) from err
    except Exception as err:  # pypdf raises many kinds on broken files
        raise UnreadableFileError(say("file.pdf_corrupt", detail=type(err).__name__)) from err
    if not any(page.strip() for page in pages):
        raise UnreadableFileError(say("file.pdf_no_text"), vi("hint.pdf_no_text"))
    return "\n\n".join(pages), "pdf", []


def _decrypts_without_password(reader: object) -> bool:
    """True when an encrypted PDF opens with the empty password (print-protected only)."""
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # AES without the optional cryptography package, a broken key…
        log.debug("cannot decrypt PDF", exc_info=True)
        return False


# --- html ------------------------------------------------------------------


def _load_html(data: bytes) -> tuple[str, str, list[str]]:
    from bs4 import BeautifulSoup

    text, encoding, notes = decode_text(data)
    soup = BeautifulSoup(text, "html.parser")
    for name in _HTML_DROP:
        for node in soup.find_all(name):
            node.decompose()
    for node in soup.find_all("br"):
        node.replace_with("\n")
    for node in soup.find_all(["td", "th"]):
        node.append(" | ")
    for node in soup.find_all(_HTML_BLOCKS):
        node.append("\n")
    lines = (line.strip(" |") for line in soup.get_text().splitlines())
    return "\n".join(lines), f"html/{encoding}", notes


_LOADERS: dict[str, Callable[[bytes], tuple[str, str, list[str]]]] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".docx": _load_docx,
    ".pdf": _load_pdf,
    ".html": _load_html,
    ".htm": _load_html,
}
