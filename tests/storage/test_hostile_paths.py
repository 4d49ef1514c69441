"""Issue 12: files that survive hostile paths. Each test reproduces one reported defect.

Anything that used to hang (a FIFO, a device read whole) runs in a thread with a deadline, so a
regression fails the test instead of hanging the suite.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from desktop_app.case.reference_ranges import years_between
from desktop_app.storage import atomic
from desktop_app.storage.case_file import MAX_LESIONS, load_case, save_case
from desktop_app.storage.errors import CaseFileError, one_line, shown
from desktop_app.storage.recovery import list_recoveries, write_recovery
from tests.conftest import EXAMPLES, REPO
from tests.storage.helpers import example_dict, write_json

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and permission bits")
EXAMPLE = EXAMPLES / "typical-multifocal.crmo"


def within(seconds: float, fn, *args):
    """fn(*args) in a thread; its result or exception, or fail when it takes longer (a hang)."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        pytest.fail(f"{fn.__name__} still running after {seconds} s (it hangs)")
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.fixture
def fifo(tmp_path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "pipe.crmo"
    os.mkfifo(path)
    return path


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------- not a regular file
def test_loading_a_fifo_is_refused_at_once(fifo):
    with pytest.raises(CaseFileError, match=r"^pipe\.crmo: is a named pipe, not a case file\.$"):
        within(10, load_case, fifo)


def test_saving_onto_a_fifo_is_refused_and_keeps_the_fifo(fifo):
    case = load_case(EXAMPLE)
    with pytest.raises(CaseFileError, match=r"^pipe\.crmo: cannot save: it is a named pipe"):
        within(10, save_case, case, fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # not replaced by a regular file
    assert _files(fifo.parent) == ["pipe.crmo"]


@posix
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_saving_over_a_device_is_refused_without_reading_it(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    link = tmp_path / "device.crmo"  # a case name that leads to a device
    link.symlink_to(device)
    case = load_case(EXAMPLE)
    # Before: the .bak-v1 check read /dev/zero whole (11-12 GB of memory in 15 s).
    with pytest.raises(CaseFileError, match=r"^device\.crmo: cannot save: it is a device"):
        within(10, save_case, case, link)
    assert stat.S_ISCHR(os.stat(device).st_mode) and link.is_symlink()
    assert _files(tmp_path) == ["device.crmo"]


def test_loading_a_device_is_refused(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(CaseFileError, match="is a device, not a case file"):
        within(10, load_case, "/dev/zero")


@posix
def test_a_symlink_loop_is_a_clear_error_for_save_and_load(tmp_path):
    loop = tmp_path / "loop.crmo"
    loop.symlink_to(loop)
    case = load_case(EXAMPLE)
    with pytest.raises(CaseFileError, match=r"^loop\.crmo: cannot save: its path is a loop of symbolic links"):
        save_case(case, loop)  # was RuntimeError from Path.resolve()
    with pytest.raises(CaseFileError, match=r"^loop\.crmo: .*loop of symbolic links"):
        load_case(loop)
    assert loop.is_symlink()


def test_saving_over_a_deeply_nested_json_file_works(tmp_path):
    target = tmp_path / "nested.crmo"
    target.write_text("[" * 100_000 + "]" * 100_000)  # the old-schema check hit RecursionError
    save_case(load_case(EXAMPLE), target)
    assert load_case(target).patient.name == "Example Patient"
    assert _files(tmp_path) == ["nested.crmo"]


def test_a_refused_save_over_a_read_only_older_file_writes_no_backup(tmp_path, monkeypatch):
    target = tmp_path / "old.crmo"
    shutil.copy(EXAMPLE, target)  # schema 1: an accepted save would keep old.crmo.bak-v1
    monkeypatch.setattr(atomic.os, "access", lambda p, mode: False)  # read-only, also as root
    with pytest.raises(CaseFileError, match="read-only"):
        save_case(load_case(EXAMPLE), target)
    assert _files(tmp_path) == ["old.crmo"]


# ------------------------------------------------------------------------------- file contents
def test_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "dup.crmo"
    text = EXAMPLE.read_text(encoding="utf-8").replace('"name": "Example Patient",',
                                                      '"name": "Example Patient", "name": "Someone Else",', 1)
    assert text.count('"name"') >= 2
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"^dup\.crmo: not valid JSON \(the key 'name' appears twice"):
        load_case(path)


def test_more_lesions_than_the_cap_are_refused_quickly(tmp_path):
    data = example_dict()
    lesion = data["imaging"]["lesions"][0]
    data["imaging"]["lesions"] = [dict(lesion, id=f"L{i}") for i in range(10_000)]  # 18 s to print before
    path = write_json(tmp_path / "many.crmo", data)
    start = time.perf_counter()
    with pytest.raises(CaseFileError, match=rf"^many\.crmo: imaging\.lesions: 10000 lesions; .* at most {MAX_LESIONS}"):
        load_case(path)
    assert time.perf_counter() - start < 5


def test_the_cap_itself_is_accepted(tmp_path):
    data = example_dict()
    data["imaging"]["lesions"] = [dict(data["imaging"]["lesions"][0], id=f"L{i}") for i in range(MAX_LESIONS)]
    assert len(load_case(write_json(tmp_path / "cap.crmo", data)).imaging.lesions) == MAX_LESIONS


def test_a_9_mb_bad_value_gives_one_short_line(tmp_path):
    data = example_dict()
    data["patient"]["sex"] = "x\n\x1b" + "x" * 9_000_000
    path = write_json(tmp_path / "big-value.crmo", data)
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    message = str(info.value)
    assert message.startswith("big-value.crmo: patient.sex: 'x\\n\\x1bxxx")
    assert len(message) < 300 and "\n" not in message


def test_file_names_are_escaped_and_shortened(tmp_path):
    path = tmp_path / ("evil\n\x1b[31m" + "n" * 300)
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    message = str(info.value)
    assert message.startswith("evil\\x0a\\x1b[31mnnn") and "\n" not in message and "\x1b" not in message
    assert len(message.split(":")[0]) <= 80


def test_one_line_escapes_controls_and_truncates():
    assert one_line("a\nb\x1b[2J\u2028c\u202e") == "a\\x0ab\\x1b[2J\\u2028c\\u202e"
    assert len(one_line("y" * 10_000)) == 400 and one_line("y" * 10_000).endswith("…")
    assert shown("z" * 81) == "z" * 79 + "…" and shown("z" * 80) == "z" * 80


# ------------------------------------------------------------------------ calendar's edges
@pytest.mark.parametrize("start, end, expected", [
    (dt.date(2015, 4, 2), dt.date(9999, 12, 31), 9999 - 2015 + (dt.date(9999, 12, 31) - dt.date(9999, 4, 2)).days / 365),
    (dt.date(9999, 1, 1), dt.date(9999, 12, 31), 364 / 365),
    (dt.date(1, 1, 1), dt.date(1, 12, 31), 364 / 365),
    (dt.date(2000, 2, 29), dt.date(9999, 3, 1), 7999 + 1 / 365),
])
def test_years_between_is_safe_at_the_calendars_edges(start, end, expected):
    assert years_between(start, end) == pytest.approx(expected)


# ------------------------------------------------------------------------ crash leftovers
KILLED_SAVE = textwrap.dedent("""
    import os, sys, time
    from desktop_app.storage import atomic
    from desktop_app.storage.case_file import load_case, save_case
    def stuck(fd):  # the data is written; the process dies before the rename
        print("writing", flush=True)
        time.sleep(600)
    atomic.os.fsync = stuck
    save_case(load_case(sys.argv[1]), sys.argv[2])
""")


@posix
def test_kill_9_during_a_save_then_a_save_leaves_no_temp_file(tmp_path):
    target = tmp_path / "case.crmo"
    shutil.copy(EXAMPLE, target)
    save_case(load_case(EXAMPLE), target)  # now schema 2 (no .bak from here on)
    os.remove(tmp_path / "case.crmo.bak-v1")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(EXAMPLE), str(target)],
                            cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        leftovers = [n for n in _files(tmp_path) if n.endswith(atomic.TEMP_SUFFIX)]
        assert len(leftovers) == 1 and leftovers[0].startswith(".case.crmo.")
        assert b"Example Patient" in (tmp_path / leftovers[0]).read_bytes()  # the full record
        assert stat.S_IMODE((tmp_path / leftovers[0]).stat().st_mode) == 0o600
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
    save_case(load_case(EXAMPLE), target)
    assert _files(tmp_path) == ["case.crmo"]


def test_stale_temps_are_removed_and_live_ones_kept(tmp_path):
    now = time.time()
    legacy = tmp_path / ".a.crmo.0123abcd.tmp"  # named by an older version: removed once stale
    fresh_legacy = tmp_path / ".b.crmo.0123abcd.tmp"
    old_ours = tmp_path / f".c.crmo.{atomic._HOST}-{os.getpid()}-0123abcd{atomic.TEMP_SUFFIX}"
    live = tmp_path / f".d.crmo.{atomic._HOST}-{os.getpid()}-89abcdef{atomic.TEMP_SUFFIX}"
    other = tmp_path / ".notes.0123abcd.tmp"  # not a name this app writes
    for p in (legacy, fresh_legacy, old_ours, live, other):
        p.write_bytes(b"x")
    for p in (legacy, old_ours, other):
        os.utime(p, (now - 3600, now - 3600))
    removed = atomic.remove_stale_temps(tmp_path)
    assert sorted(p.name for p in removed) == sorted([legacy.name, old_ours.name])
    assert _files(tmp_path) == sorted([fresh_legacy.name, live.name, other.name])


# --------------------------------------------------------------------------------- privacy
@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@posix
def test_new_files_temps_and_backups_are_owner_only_under_umask_022(tmp_path, umask_022, monkeypatch):
    temp_modes = []
    real_replace = os.replace

    def spy(src, dst):
        temp_modes.append(stat.S_IMODE(os.stat(src).st_mode))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", spy)
    case = load_case(EXAMPLE)
    save_case(case, tmp_path / "new.crmo")
    old = tmp_path / "old.crmo"
    shutil.copy(EXAMPLE, old)
    old.chmod(0o644)
    save_case(case, old)
    mode = lambda name: stat.S_IMODE((tmp_path / name).stat().st_mode)  # noqa: E731
    assert mode("new.crmo") == 0o600
    assert mode("old.crmo.bak-v1") == 0o600
    assert mode("old.crmo") == 0o644  # replacing a file keeps that file's mode
    # Temps are created 0600; the one replacing old.crmo takes that file's mode just before the rename.
    assert temp_modes == [0o600, 0o600, 0o644]


@posix
def test_recovery_files_and_folders_are_private_and_an_old_folder_is_fixed(tmp_path, umask_022):
    data = tmp_path / "data"
    (data / "recovery").mkdir(parents=True, mode=0o755)
    os.chmod(data / "recovery", 0o755)
    assert list_recoveries(directory=data) == []
    assert stat.S_IMODE((data / "recovery").stat().st_mode) == 0o700  # fixed at start-up
    fresh = tmp_path / "fresh"
    written = write_recovery(load_case(EXAMPLE), None, directory=fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.with_suffix(".json").stat().st_mode) == 0o600


@posix
def test_listing_recoveries_at_start_removes_a_crashed_autosaves_temp(tmp_path):
    folder = tmp_path / "data" / "recovery"
    folder.mkdir(parents=True)
    dead = folder / f".x.crmo.{atomic._HOST}-999999999-0123abcd{atomic.TEMP_SUFFIX}"  # no such pid
    dead.write_bytes(b"patient data")
    list_recoveries(directory=tmp_path / "data")
    assert _files(folder) == []
