"""SHA-256 checksums of release files, in the format ``sha256sum -c`` reads.

A release's ``SHA256SUMS`` lists every file of the release but itself, one line each:
64 lowercase hex digits, two spaces, the path relative to the release folder (``/``
separators), sorted by path. ``cd RELEASE && sha256sum -c SHA256SUMS`` checks a download.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from tacitus.errors import IntegrityError

SUMS_FILE = "SHA256SUMS"

_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")
_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lowercase hex digits.

    Example:
        >>> sha256_bytes(b"")[:16]
        'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes (read in 1 MiB chunks).

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "x"
        >>> _ = p.write_bytes(b"")
        >>> sha256_file(p) == sha256_bytes(b"")
        True
    """
    return sha256_files([path])


def sha256_files(paths: Iterable[Path]) -> str:
    """The SHA-256 of files' bytes concatenated in order (read in 1 MiB chunks).

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "a").write_bytes(b"ab")
        >>> _ = (root / "b").write_bytes(b"c")
        >>> sha256_files([root / "a", root / "b"]) == sha256_bytes(b"abc")
        True
    """
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def release_files(root: Path) -> list[str]:
    """Every file under ``root`` as a sorted relative POSIX path, ``SHA256SUMS`` left out.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "b.txt").write_text("b")
        >>> _ = (root / SUMS_FILE).write_text("")
        >>> release_files(root)
        ['b.txt']
    """
    paths = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return sorted(p for p in paths if p != SUMS_FILE)


def format_sums(sums: Mapping[str, str]) -> str:
    """``SHA256SUMS`` text for path → hex digest, sorted by path.

    Example:
        >>> format_sums({"b": "0" * 64, "a": "1" * 64}).splitlines()[0] == "1" * 64 + "  a"
        True
    """
    lines = []
    for path in sorted(sums):
        if "\n" in path or "\\" in path:
            raise ValueError(f"cannot list a path with a newline or backslash: {path!r}")
        lines.append(f"{sums[path]}  {path}\n")
    return "".join(lines)


def write_sums(
    root: Path, paths: Iterable[str] | None = None, *, known: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Hash ``paths`` (default: every file) under ``root`` and write ``root/SHA256SUMS``.

    ``known`` gives digests the caller has already computed of files it has not changed
    since (they are not read again). Returns path → digest.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "a.txt").write_bytes(b"")
        >>> _ = (root / "b.txt").write_bytes(b"b")
        >>> sums = write_sums(root, known={"b.txt": sha256_bytes(b"b")})
        >>> list(sums), sums["a.txt"] == sha256_bytes(b"")
        (['a.txt', 'b.txt'], True)
    """
    chosen = release_files(root) if paths is None else sorted(paths)
    known = known or {}
    sums = {path: known.get(path) or sha256_file(root / path) for path in chosen}
    (root / SUMS_FILE).write_text(format_sums(sums), encoding="utf-8", newline="\n")
    return sums


def parse_sums(text: str, *, name: str = SUMS_FILE) -> dict[str, str]:
    """Read ``SHA256SUMS`` text into path → digest; a malformed line is an IntegrityError.

    Paths must be relative and stay inside the release (no ``..``, no leading ``/``).

    Example:
        >>> list(parse_sums("a" * 64 + "  events/year=2024/part-0.parquet\\n"))
        ['events/year=2024/part-0.parquet']
    """
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise IntegrityError(f"{name}:{number}: not a sha256sum line: {line[:80]!r}")
        digest, path = match.groups()
        parts = path.split("/")
        if path.startswith("/") or ".." in parts or "" in parts or "\\" in path:
            raise IntegrityError(f"{name}:{number}: path leaves the release: {path!r}")
        if path in sums:
            raise IntegrityError(f"{name}:{number}: {path} is listed twice")
        sums[path] = digest
    if not sums:
        raise IntegrityError(f"{name} lists no files")
    return sums


def read_sums(root: Path) -> dict[str, str]:
    """Read ``root/SHA256SUMS`` (IntegrityError when missing or malformed).

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "a.txt").write_bytes(b"")
        >>> _ = write_sums(root)
        >>> list(read_sums(root))
        ['a.txt']
    """
    path = root / SUMS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IntegrityError(f"{path}: missing (not a tacitus release?)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IntegrityError(f"{path}: unreadable ({exc})") from None
    return parse_sums(text, name=str(path))


def verify_file(root: Path, path: str, expected: str) -> None:
    """Check one file's SHA-256; IntegrityError naming the file when missing or different.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "a.txt").write_bytes(b"x")
        >>> verify_file(root, "a.txt", "0" * 64)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        tacitus.errors.IntegrityError: a.txt: checksum mismatch ...
    """
    full = root / path
    if not full.is_file():
        raise IntegrityError(f"{path}: missing from the release (listed in {SUMS_FILE})")
    actual = sha256_file(full)
    if actual != expected:
        raise IntegrityError(
            f"{path}: checksum mismatch (expected {expected[:11]}…, got {actual[:11]}…): "
            "corrupted or truncated; not loaded"
        )


def verify_sums(root: Path, sums: Mapping[str, str], paths: Iterable[str] | None = None) -> None:
    """Check ``paths`` (default: all listed) against ``sums``; the first failure raises.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "a.txt").write_bytes(b"")
        >>> verify_sums(root, write_sums(root))
    """
    for path in sorted(sums) if paths is None else paths:
        if path not in sums:
            raise IntegrityError(f"{path}: not listed in {SUMS_FILE}; refusing to load it")
        verify_file(root, path, sums[path])
