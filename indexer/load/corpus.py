"""List and read the files of a corpus; refuse any path that resolves outside it.

``iter_corpus(paths)`` walks files and folders (sorted; hidden entries, READMEs and
unsupported extensions skipped, symlink loops not followed) and yields a
:class:`SourceFile` per readable file or a :class:`FailedFile` with a one-line
reason; it never raises for a single bad file. ``safe_path(root, rel)`` is the
only way the web layer turns a user-supplied path into a file.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import indexer
from indexer.errors import CorpusError, PathOutsideCorpusError, UnreadableFileError
from indexer.load.loaders import SUPPORTED_SUFFIXES, load_bytes
from indexer.messages import say
from indexer.models import FailedFile, SourceFile
from indexer.normalize import fold

log = logging.getLogger(__name__)

CORPUS_ENV = "VANBAN_CORPUS"
# Hex digits of sha1(rel_path) appended to a doc id whose slug lost information.
DOC_ID_HASH_CHARS = 8
# A README inside a corpus folder documents the corpus (corpus/README.md); it is
# not one of its documents. Given explicitly as a file, it is read.
README_NAMES = frozenset({"readme.md", "readme.txt"})
_SLUG_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def default_corpus_dir() -> Path:
    """The bundled ``corpus/`` directory (or ``$VANBAN_CORPUS`` when set).

    >>> default_corpus_dir().name
    'corpus'
    """
    override = os.environ.get(CORPUS_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return (Path(indexer.__file__).resolve().parent.parent / "corpus").resolve()


def is_supported(path: Path) -> bool:
    """True for the file types vanban reads (.txt .md .docx .pdf .html .htm)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _is_skipped(name: str) -> bool:
    """Hidden entries, Word lock files (~$…) and a folder's README (it describes the corpus)."""
    return name.startswith((".", "~$")) or name.lower() in README_NAMES


def check_paths(paths: Sequence[str | Path]) -> list[Path]:
    """The given files and folders, resolved; the first missing or unreadable one raises.

    Checked before an indexing run touches anything, so a typo in a path
    changes nothing (issue 14).

    Raises:
        CorpusError: a path does not exist or cannot be read.
    """
    roots = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            raise CorpusError(say("corpus.path_missing", path=str(path)))
        needed = os.R_OK | (os.X_OK if path.is_dir() else 0)
        if not os.access(path, needed):
            raise CorpusError(say("corpus.path_unreadable", path=str(path)))
        roots.append(path.resolve())
    return roots


def is_under(path: str | Path, roots: Sequence[Path]) -> bool:
    """Whether ``path`` is one of ``roots`` or inside one of them."""
    return any(Path(path).is_relative_to(root) for root in roots)


def iter_files(paths: Sequence[str | Path]) -> Iterator[tuple[Path, Path] | FailedFile]:
    """Every supported file under ``paths`` as ``(file, root)``, sorted; missing paths fail.

    A file given directly has its parent as root. Folders are walked
    recursively; a symlinked folder is followed once (no loops), and a symlink
    pointing outside the root it was found under is reported, not followed.
    A file reached twice (overlapping paths) is listed once.
    """
    listed: set[Path] = set()
    for item in _iter_given(paths):
        if isinstance(item, tuple):
            real = item[0].resolve()
            if real in listed:
                continue
            listed.add(real)
        yield item


def _iter_given(paths: Sequence[str | Path]) -> Iterator[tuple[Path, Path] | FailedFile]:
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            yield FailedFile(str(path), say("file.missing"))
        elif path.is_file():
            if is_supported(path):
                yield path.resolve(), path.resolve().parent
            else:
                yield FailedFile(
                    str(path), say("file.unsupported_type", suffix=path.suffix or "(none)")
                )
        else:
            root = path.resolve()
            yield from _walk(root, root, {root})


def _walk(folder: Path, root: Path, seen: set[Path]) -> Iterator[tuple[Path, Path] | FailedFile]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as err:
        yield FailedFile(str(folder), say("file.cannot_list", detail=err.strerror or err))
        return
    for entry in entries:
        if _is_skipped(entry.name):
            continue
        try:
            real = entry.resolve(strict=entry.is_symlink())
        except (OSError, RuntimeError) as err:  # RuntimeError: a symlink loop (Python < 3.13)
            yield FailedFile(str(entry), _broken_link_reason(err))
            continue
        if entry.is_symlink() and not real.is_relative_to(root):
            yield FailedFile(str(entry), say("file.symlink_outside"))
        elif entry.is_dir():
            if real in seen:
                log.debug("skipping %s: folder already visited (symlink loop)", entry)
                continue
            seen.add(real)
            yield from _walk(entry, root, seen)
        elif entry.is_file() and is_supported(entry):
            yield entry, root


def _broken_link_reason(err: Exception) -> str:
    """One line for a symbolic link that cannot be followed."""
    if isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP:
        return say("file.symlink_loop")
    if isinstance(err, FileNotFoundError):
        return say("file.symlink_broken")
    return say("file.symlink_unfollowable", detail=getattr(err, "strerror", None) or err)


def iter_corpus(paths: Sequence[str | Path]) -> Iterator[SourceFile | FailedFile]:
    """Read every supported file under ``paths``: SourceFile, or FailedFile with a reason.

    >>> [s.file for s in iter_corpus([default_corpus_dir()])][:1]
    ['000_483593662cc2f1b9.txt']
    """
    for item in iter_files(paths):
        if isinstance(item, FailedFile):
            yield item
            continue
        path, root = item
        try:
            yield read_source(path, root)
        except UnreadableFileError as err:
            log.info("cannot read %s: %s", path, err.message)
            yield FailedFile(str(path), err.message)


@dataclass(frozen=True)
class RawFile:
    """A file's bytes as read from disk, not yet decoded (see :func:`decode_raw`)."""

    path: str  # absolute path on disk
    file: str
    rel_path: str
    suffix: str
    data: bytes
    sha256: str


def read_raw(path: str | Path, root: str | Path, *, max_bytes: int | None = None) -> RawFile:
    """Read one file found under ``root``, without decoding it.

    A file over ``max_bytes`` (None: no limit) is refused before it is read.

    Raises:
        UnreadableFileError: the file cannot be opened or is too large.
    """
    path, root = Path(path), Path(root)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise UnreadableFileError(too_large_reason(size, max_bytes))
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFileError(say("file.cannot_open", detail=err.strerror or err)) from err
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.name
    return RawFile(
        path=str(path.resolve()),
        file=path.name,
        rel_path=rel,
        suffix=path.suffix,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def decode_raw(raw: RawFile) -> SourceFile:
    """Decode and normalise a file read by :func:`read_raw`.

    Raises:
        UnreadableFileError: the bytes cannot be read as text; the message says why.
    """
    loaded = load_bytes(raw.data, raw.suffix)
    return SourceFile(
        path=raw.path,
        file=raw.file,
        rel_path=raw.rel_path,
        text=loaded.text,
        sha256=raw.sha256,
        encoding=loaded.encoding,
        warnings=loaded.warnings,
    )


def read_source(path: str | Path, root: str | Path, *, max_bytes: int | None = None) -> SourceFile:
    """Read, decode and normalise one file found under ``root``.

    A file over ``max_bytes`` (None: no limit) is refused before it is read.

    Raises:
        UnreadableFileError: the file cannot be read as text; the message says why.
    """
    return decode_raw(read_raw(path, root, max_bytes=max_bytes))


def too_large_reason(size: int, max_bytes: int) -> str:
    """The reason given for a file over the size limit.

    >>> too_large_reason(30_000_024, 20_000_000)
    'tệp quá lớn (30.0 MB > giới hạn 20 MB)'
    >>> too_large_reason(30_821, 25_000)
    'tệp quá lớn (30.8 kB > giới hạn 25 kB)'
    """
    unit, scale = ("MB", 1e6) if max_bytes >= 1_000_000 else ("kB", 1e3)
    return say(
        "file.too_large", size=f"{size / scale:.1f} {unit}", limit=f"{max_bytes / scale:g} {unit}"
    )


def _slug(text: str) -> str:
    folded = fold(unicodedata.normalize("NFC", text))
    out: list[str] = []
    for ch in folded:
        out.append(ch if ch in _SLUG_KEEP else "-")
    return "-".join(part for part in "".join(out).split("-") if part)


def doc_id_for(rel_path: str) -> str:
    """The stable, URL-safe id of the document at ``rel_path`` (relative to its root).

    The slug of the path without its extension; when the slug loses anything
    (capitals, accents, spaces, folders, a non-.txt extension) a short hash of the
    path is appended so that two paths never share an id.

    >>> doc_id_for("000_483593662cc2f1b9.txt")
    '000_483593662cc2f1b9'
    >>> doc_id_for("sub/Kế hoạch 12.docx")
    'sub-ke-hoach-12-e15814b4'
    """
    rel_path = unicodedata.normalize("NFC", rel_path.replace("\\", "/")).strip("/")
    stem, dot, suffix = rel_path.rpartition(".")
    if not dot or "/" in suffix:
        stem, suffix = rel_path, ""
    slug = _slug(stem) or "doc"
    if stem == slug and suffix.lower() == "txt":
        return slug
    digest = hashlib.sha1(rel_path.encode("utf-8")).hexdigest()[:DOC_ID_HASH_CHARS]
    return f"{slug}-{digest}"


def safe_path(root: str | Path, rel: str) -> Path:
    """``root / rel``, refusing anything that resolves outside ``root``.

    >>> safe_path("/srv/corpus", "../etc/passwd")
    Traceback (most recent call last):
    ...
    indexer.errors.PathOutsideCorpusError: đường dẫn nằm ngoài kho văn bản: '../etc/passwd' (hãy thử tìm kiếm theo số ký hiệu hoặc từ khoá)

    Raises:
        PathOutsideCorpusError: for absolute paths, ``..``, NUL bytes and symlinks
            escaping the root.
    """
    candidate = Path(rel)
    if "\x00" in rel or candidate.is_absolute() or rel.startswith(("/", "\\")):
        raise PathOutsideCorpusError(say("corpus.path_outside", rel=rel))
    if ".." in candidate.parts or ".." in rel.replace("\\", "/").split("/"):
        raise PathOutsideCorpusError(say("corpus.path_outside", rel=rel))
    base = Path(root).resolve()
    resolved = (base / candidate).resolve()
    if resolved != base and not resolved.is_relative_to(base):
        raise PathOutsideCorpusError(say("corpus.path_outside", rel=rel))
    return resolved
