"""Crash-safe file writes: the target holds either the old bytes or the new bytes, never half.

A temp file is written in the target's own folder (so the final rename never crosses devices),
fsynced, given the old file's permission bits, and moved over the target with `os.replace`.
Used for case files, recovery files and the PDF note, so it takes plain bytes.
"""
from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
import time
from pathlib import Path

from desktop_app.storage.errors import CaseFileError

# Windows: antivirus, indexers and sync clients briefly hold the target open, so os.replace
# fails with "access denied" / "sharing violation" (winerror 5, 32, 33). Retry a few times.
_WINDOWS_BUSY = {5, 32, 33}
_RETRY_DELAYS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.2, 0.25)  # about 1 s in total


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace `path` with `data` atomically; raise CaseFileError (one sentence) on failure."""
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()  # save through a link to the real file, don't replace the link
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise CaseFileError(f"{target.name}: cannot save: {target} is a folder, not a file.")
    old_mode = _existing_mode(target)
    if old_mode is not None and not os.access(target, os.W_OK):
        # A read-only file is the user's (or the hospital's) decision: don't silently replace it.
        raise CaseFileError(
            f"{target.name}: cannot save: the file is read-only; save under another name instead."
        )
    try:
        tmp, fd = _create_temp(folder, target.name)
    except OSError as exc:
        raise CaseFileError(_describe(target, exc, "cannot create a temporary file in its folder")) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if old_mode is not None:  # new files keep the umask default the OS gave them
            os.chmod(tmp, old_mode)
        _replace(tmp, target)
    except BaseException as exc:
        _remove_quietly(tmp)
        if isinstance(exc, OSError):
            raise CaseFileError(_describe(target, exc, "could not be saved")) from exc
        raise
    _fsync_folder(folder)


def _existing_mode(target: Path) -> int | None:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return None


def _create_temp(folder: Path, name: str) -> tuple[Path, int]:
    """A new, exclusive temp file beside the target, created 0666 minus the umask.

    (Not tempfile.mkstemp: it forces 0600, and reading the umask to undo that is not thread-safe.)
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return tmp, os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def _replace(tmp: Path, target: Path) -> None:
    if sys.platform != "win32":
        os.replace(tmp, target)
        return
    for delay in (*_RETRY_DELAYS, None):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as exc:
            if delay is None or getattr(exc, "winerror", 5) not in _WINDOWS_BUSY:
                raise
            time.sleep(delay)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; not every file system allows it)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(tmp: Path) -> None:
    try:
        tmp.unlink()
    except OSError:
        pass


def _describe(target: Path, exc: OSError, what: str) -> str:
    """One actionable sentence for the dialog and the CLI."""
    name = target.name
    if exc.errno == errno.EXDEV:
        return f"{name}: {what}: the folder spans two devices; save to a local folder instead."
    if exc.errno == errno.ENOSPC:
        return f"{name}: {what}: the disk is full; free some space or save elsewhere."
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"{name}: {what}: permission denied in {target.parent or '.'} (the file or folder "
            "is read-only or open in another program); close it or save elsewhere."
        )
    if isinstance(exc, FileNotFoundError):
        return f"{name}: {what}: the folder {target.parent} does not exist."
    reason = exc.strerror or str(exc)
    return f"{name}: {what}: {reason}."
