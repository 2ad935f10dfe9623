"""Atomic writes: readers see the old file (or folder) or the new one, never half of it.

Temporary files and folders are made with :mod:`tempfile`, which gives them owner-only
permissions (0600, 0700); renamed into place they would stay that way, and a release
folder a web server cannot read is no release. So both get the permissions a plain
``open``/``mkdir`` would have given under the current umask.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Creates the folder if needed; on failure the temporary file is removed and the old
    file (if any) is left as it was. The file gets the usual permissions (umask applied).

    Example:
        >>> folder = Path(tempfile.mkdtemp())
        >>> write_bytes_atomic(folder / "sub" / "a.txt", b"x").read_bytes()
        b'x'
        >>> (folder / "sub" / "a.txt").stat().st_mode & 0o777 == 0o666 & ~_umask()
        True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def temporary_folder(parent: str | Path, prefix: str) -> Path:
    """A new temporary folder in ``parent``, to fill and then rename into place.

    Unlike :func:`tempfile.mkdtemp` (owner only), it has the permissions ``mkdir`` would
    give, so the folder it becomes is readable as any other.

    Example:
        >>> made = temporary_folder(tempfile.mkdtemp(), ".out.tmp-")
        >>> made.name.startswith(".out.tmp-")
        True
        >>> made.stat().st_mode & 0o777 == 0o777 & ~_umask()
        True
    """
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(path, 0o777 & ~_umask())
    return path
