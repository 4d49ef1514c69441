"""A crash mid-save leaves the old file intact and no temp file behind; permissions survive."""
from __future__ import annotations

import errno
import os
import stat
import sys

import pytest

from desktop_app.case.models import Case
from desktop_app.storage import atomic
from desktop_app.storage.atomic import atomic_write_bytes
from desktop_app.storage.case_file import load_case, save_case
from desktop_app.storage.errors import CaseFileError
from tests.storage.helpers import EXAMPLE_FILES


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_writes_new_file_and_replaces_old(tmp_path):
    target = tmp_path / "note.pdf"
    atomic_write_bytes(target, b"first")
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert _files(tmp_path) == ["note.pdf"]


@pytest.mark.parametrize("where", ["replace", "fsync"])
def test_crash_mid_save_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch, where):
    target = tmp_path / "case.crmo"
    save_case(load_case(EXAMPLE_FILES[0]), target)
    old_bytes = target.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, where, crash)
    changed = Case()
    changed.patient.name = "Somebody Else"
    with pytest.raises(CaseFileError) as info:
        save_case(changed, target)
    monkeypatch.undo()

    assert str(info.value).startswith("case.crmo: could not be saved")
    assert target.read_bytes() == old_bytes
    assert _files(tmp_path) == ["case.crmo"]
    assert load_case(target).patient.name == "Example Patient"


def test_interrupt_mid_write_removes_temp_and_propagates(tmp_path, monkeypatch):
    target = tmp_path / "case.crmo"
    target.write_bytes(b"old")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert _files(tmp_path) == ["case.crmo"]


def test_cross_device_error_is_actionable(tmp_path, monkeypatch):
    def exdev(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(atomic.os, "replace", exdev)
    with pytest.raises(CaseFileError, match=r"^x\.crmo: could not be saved: .*save to a local folder"):
        atomic_write_bytes(tmp_path / "x.crmo", b"data")
    monkeypatch.undo()
    assert _files(tmp_path) == []


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CaseFileError, match=r"^x\.crmo: .*"):
        atomic_write_bytes(tmp_path / "no-such-folder" / "x.crmo", b"data")


def test_saving_onto_a_folder_is_refused(tmp_path):
    (tmp_path / "dir.crmo").mkdir()
    with pytest.raises(CaseFileError, match="is a folder"):
        atomic_write_bytes(tmp_path / "dir.crmo", b"data")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_permissions_of_the_old_file_are_kept(tmp_path):
    target = tmp_path / "shared.crmo"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == b"new"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_new_files_are_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "new.crmo", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.crmo").stat().st_mode) == 0o600


def test_read_only_target_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "ro.crmo"
    target.write_bytes(b"old")
    # os.access is forced so that the check also holds when the tests run as root.
    monkeypatch.setattr(atomic.os, "access", lambda p, mode: False)
    with pytest.raises(CaseFileError, match=r"^ro\.crmo: cannot save: the file is read-only"):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert _files(tmp_path) == ["ro.crmo"]


def test_windows_sharing_violation_is_retried_then_succeeds(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic.sys, "platform", "win32")
    monkeypatch.setattr(atomic.time, "sleep", lambda s: None)
    real_replace = os.replace
    calls = []

    def busy_twice(src, dst):
        calls.append(1)
        if len(calls) <= 2:
            err = PermissionError(13, "The process cannot access the file")
            err.winerror = 32
            raise err
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", busy_twice)
    atomic_write_bytes(tmp_path / "w.crmo", b"data")
    assert len(calls) == 3
    assert (tmp_path / "w.crmo").read_bytes() == b"data"


def test_windows_retry_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic.sys, "platform", "win32")
    slept = []
    monkeypatch.setattr(atomic.time, "sleep", slept.append)

    def always_busy(src, dst):
        err = PermissionError(13, "Access is denied")
        err.winerror = 5
        raise err

    monkeypatch.setattr(atomic.os, "replace", always_busy)
    with pytest.raises(CaseFileError, match="permission denied"):
        atomic_write_bytes(tmp_path / "w.crmo", b"data")
    assert sum(slept) <= 1.0 and len(slept) == len(atomic._RETRY_DELAYS)
    assert _files(tmp_path) == []


def test_posix_does_not_retry(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic.sys, "platform", "linux")
    calls = []

    def denied(src, dst):
        calls.append(1)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", denied)
    with pytest.raises(CaseFileError):
        atomic_write_bytes(tmp_path / "p.crmo", b"data")
    assert calls == [1]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_saving_through_a_symlink_updates_the_real_file(tmp_path):
    real = tmp_path / "real.crmo"
    real.write_bytes(b"old")
    link = tmp_path / "link.crmo"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
