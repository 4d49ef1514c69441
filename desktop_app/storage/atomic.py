"""Crash-safe, private file writes: the target holds either the old bytes or the new bytes, never half.

A temp file is created owner-only (0600) in the target's own folder (so the final rename never
crosses devices), written, fsynced, given the old file's permission bits when there was one, and
moved over the target with `os.replace`. Only a regular file (or nothing) is ever replaced: a named
pipe, device, folder or symlink loop is refused with one sentence.

Temp files are named `.<target name>.<host>-<pid>-<random>.crmo-tmp`, so that a later save can
tell the app's own leftovers (a crash or `kill -9` mid-save) from anything else, and remove them:
those of a process that no longer runs on this host, or any older than STALE_TEMP_SECONDS.
Used for case files, backups, recovery files and the PDF note, so it takes plain bytes.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import socket
import stat
import sys
import time
from pathlib import Path

from desktop_app.storage.errors import CaseFileError, shown_name
from desktop_app.storage.files import describe_os_error, kind_of

# Windows: antivirus, indexers and sync clients briefly hold the target open, so os.replace
# fails with "access denied" / "sharing violation" (winerror 5, 32, 33). Retry a few times.
_WINDOWS_BUSY = {5, 32, 33}
_RETRY_DELAYS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.2, 0.25)  # about 1 s in total

TEMP_SUFFIX = ".crmo-tmp"
STALE_TEMP_SECONDS = 10 * 60  # no save takes minutes; an older temp is a crash's leftover
_NAME_CHARS = 100  # of the target's name in a temp name: the whole name could exceed NAME_MAX
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
_TEMP_RE = re.compile(r"^\..*\.([0-9a-f]{6})-(\d+)-[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + "$", re.DOTALL)
# Versions before 0.1.1 named temps `.<name>.<8 hex>.tmp`, with no owner: removed once stale.
_LEGACY_TEMP_RE = re.compile(r"^\..+\.(crmo|pdf|json|crmo\.bak-v\d+)\.[0-9a-f]{8}\.tmp$", re.DOTALL)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace `path` with `data` atomically; raise CaseFileError (one sentence) on failure."""
    target, old_mode = check_write_target(path)
    folder = target.parent
    remove_stale_temps(folder)
    try:
        tmp, fd = _create_temp(folder, target.name)
    except OSError as exc:
        raise CaseFileError(
            f"{shown_name(target)}: {describe_os_error(exc, target, 'cannot create a temporary file in its folder')}"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if old_mode is not None:  # replacing a file keeps its mode; a new one stays 0600
            os.chmod(tmp, old_mode)
        _replace(tmp, target)
    except BaseException as exc:
        _remove_quietly(tmp)
        if isinstance(exc, OSError):
            raise CaseFileError(f"{shown_name(target)}: {describe_os_error(exc, target, 'could not be saved')}") from exc
        raise
    _fsync_folder(folder)


def check_write_target(path: str | os.PathLike[str]) -> tuple[Path, int | None]:
    """(the real file to write, its current mode or None when it does not exist yet).

    Raises CaseFileError when the target is not a regular file (named pipe, device, folder, a loop
    of symbolic links) or is read-only, before anything is written anywhere. A symbolic link to a
    file is followed: the file it points to is saved, the link kept.
    """
    name = shown_name(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None  # a new file (or a dangling link: the file it names is created)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = describe_os_error(exc, path, "cannot save") if isinstance(exc, OSError) else "cannot save: invalid file name."
        raise CaseFileError(f"{name}: {reason}") from exc
    if info is not None:
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise CaseFileError(f"{name}: cannot save: it is {kind}, not a regular file." if kind.startswith("a ")
                                else f"{name}: cannot save: it is not a regular file.")
        if not os.access(path, os.W_OK):
            # A read-only file is the user's (or the hospital's) decision: don't silently replace it.
            raise CaseFileError(f"{name}: cannot save: the file is read-only; save under another name instead.")
    try:
        real = Path(os.path.realpath(path))  # stat succeeded (or no file): no loop to trip over
    except (OSError, ValueError, RuntimeError) as exc:
        raise CaseFileError(f"{name}: cannot save: its path cannot be resolved.") from exc
    return real, (stat.S_IMODE(info.st_mode) if info is not None else None)


def _create_temp(folder: Path, name: str) -> tuple[Path, int]:
    """A new, exclusive, owner-only temp file beside the target."""
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
             | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    for _ in range(100):
        tmp = folder / f".{name[:_NAME_CHARS]}.{_HOST}-{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            return tmp, os.open(tmp, flags, 0o600)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def remove_stale_temps(folder: str | os.PathLike[str], now: float | None = None) -> list[Path]:
    """Delete this app's temp files in `folder` that no running save owns; never raises."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.endswith((TEMP_SUFFIX, ".tmp")) or not entry.name.startswith("."):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or not _is_stale(entry.name, now - info.st_mtime):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to delete
    return removed


def _is_stale(name: str, age: float) -> bool:
    ours = _TEMP_RE.match(name)
    if ours is None:
        return _LEGACY_TEMP_RE.match(name) is not None and age > STALE_TEMP_SECONDS
    if age > STALE_TEMP_SECONDS:
        return True
    host, pid = ours.group(1), int(ours.group(2))
    # Another host's temp on a shared folder: its process cannot be checked from here.
    return host == _HOST and pid != os.getpid() and not _process_runs(pid)


def _process_runs(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill would terminate it there; age alone decides on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


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
