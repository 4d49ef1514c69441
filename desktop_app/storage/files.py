"""Reading files that may not be what their name says: only regular files are read, never more
than a cap, and a named pipe (FIFO) is never opened in a way that could block.

`open(path).read()` on a FIFO waits for a writer for ever; on /dev/zero it reads until memory runs
out. Opening with O_NONBLOCK returns at once for a FIFO, and fstat on the open descriptor (not a
stat of the name, which could change in between) tells what it is before a byte is read.
"""
from __future__ import annotations

import errno
import os
import stat

from desktop_app.storage.errors import CaseFileError, shown, shown_name

_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def kind_of(mode: int) -> str | None:
    """'a folder', 'a named pipe'... for anything that is not a regular file; None for one."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike[str], limit: int, what: str = "case file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; CaseFileError (one line) otherwise."""
    name = shown_name(path)
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError as exc:
        raise CaseFileError(f"{name}: file not found ({shown(os.fspath(path))}).") from exc
    except IsADirectoryError as exc:  # Windows cannot open a folder at all
        raise CaseFileError(f"{name}: is a folder, not a {what}.") from exc
    except PermissionError as exc:
        raise CaseFileError(f"{name}: permission denied; you may not read this file.") from exc
    except OSError as exc:
        raise CaseFileError(f"{name}: {describe_os_error(exc, path, 'cannot be read')}") from exc
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise CaseFileError(f"{name}: is {kind}, not a {what}." if kind.startswith("a ")
                                else f"{name}: is not a regular file, not a {what}.")
        if info.st_size > limit:  # refuse before reading anything
            raise CaseFileError(f"{name}: file is too large to be a {what} (over {_size(limit)}).")
        chunks, total = [], 0
        while total <= limit:  # the file may grow after fstat: read one byte past the cap at most
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise CaseFileError(f"{name}: {describe_os_error(exc, path, 'could not be read')}") from exc
    finally:
        os.close(fd)
    if total > limit:
        raise CaseFileError(f"{name}: file is too large to be a {what} (over {_size(limit)}).")
    return b"".join(chunks)


def describe_os_error(exc: OSError, path: str | os.PathLike[str], what: str) -> str:
    """'<what>: <reason>.' for the errors a user can do something about (no file name: the caller
    puts it first)."""
    folder = shown(os.path.dirname(os.fspath(path)) or ".")
    if exc.errno == errno.ELOOP:
        return f"{what}: its path is a loop of symbolic links."
    if exc.errno == errno.ENAMETOOLONG:
        return f"{what}: the file name or path is too long."
    if exc.errno == errno.EXDEV:
        return f"{what}: the folder spans two devices; save to a local folder instead."
    if exc.errno == errno.ENOSPC:
        return f"{what}: the disk is full; free some space or save elsewhere."
    if exc.errno == errno.ENOTDIR:
        return f"{what}: part of its path is a file, not a folder."
    if isinstance(exc, FileNotFoundError):
        return f"{what}: file not found (or the folder {folder} does not exist)."
    if isinstance(exc, IsADirectoryError):
        return f"{what}: is a folder, not a file."
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"{what}: permission denied in {folder} (the file or folder is read-only "
                "or open in another program).")
    return f"{what}: {shown(exc.strerror or str(exc))}."


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"
