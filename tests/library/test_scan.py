"""The index on temporary folders: hostile files, changes between scans, a folder that goes away,
duplicate MRNs, a cancelled scan, two indexes on one library."""
from __future__ import annotations

import os
import shutil
import sys

import pytest

from desktop_app.library.index import Index, scan_folder
from desktop_app.library.scan import LibraryError
from desktop_app.storage.case_file import load_case, save_case
from desktop_app.storage.errors import CaseFileError
from desktop_app.storage.recovery import write_recovery
from tests.benchmarks.make_library import make_library, write_hostile
from tests.conftest import EXAMPLES

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, symbolic links and modes are POSIX")


def _rows(folder):
    result, _ = scan_folder(folder)
    return {r.file: r for r in result.rows}


def _copy(name, dest):
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLES / name, dest)
    return dest


@posix_only
def test_each_hostile_file_is_a_row_with_the_evaluate_words(tmp_path):
    folder = tmp_path / "lib"
    good = _copy("typical-multifocal.crmo", folder / "good.crmo")
    hostile = write_hostile(folder, good.read_bytes(), 0)
    unreadable = _copy("typical-multifocal.crmo", folder / "unreadable.crmo")
    os.chmod(unreadable, 0)
    write_recovery(load_case(good), good, directory=folder / "data")  # a recovery copy inside the tree
    try:
        rows = _rows(folder)
    finally:
        os.chmod(unreadable, 0o600)
    expected = {"good.crmo", "unreadable.crmo"} | {p.name for p in hostile}
    # Temp files, .bak-v4 copies and recovery copies are not rows.
    assert set(rows) == expected
    assert rows["good.crmo"].error is None and rows["good.crmo"].mode == "cno"
    for p in hostile:
        with pytest.raises(CaseFileError) as exc:
            load_case(p)
        assert rows[p.name].error == f"could not read: {exc.value}"  # the same words as `evaluate`
    assert "newer version" in rows["newer-schema-0.crmo"].error
    assert "named pipe" in rows["pipe-0.crmo"].error
    assert "loop of symbolic links" in rows["loop-a-0.crmo"].error
    assert "not a CRMO Consult case file" in rows["not-a-case-0.crmo"].error
    assert "truncated or damaged" in rows["half-written-0.crmo"].error
    if os.geteuid() != 0:  # root reads a mode-000 file
        assert "permission denied" in rows["unreadable.crmo"].error


def _touch_changed(path, text_from):
    case = load_case(text_from)
    save_case(case.model_copy(update={"patient": case.patient.model_copy(update={"name": "Changed Name"})}), path)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))  # a coarse-clock filesystem


def test_a_rescan_reads_only_what_changed(clinic):
    index = Index(clinic)
    first = index.scan()
    assert first.read == 24 and len(first.rows) == 24
    assert index.scan().read == 0  # nothing changed: stat only
    files = sorted(clinic.rglob("*.crmo"))
    _touch_changed(files[3], files[3])  # changed
    _copy("followup-two-visits.crmo", clinic / "new" / "added.crmo")  # added
    files[5].unlink()  # removed
    files[7].rename(clinic / "renamed.crmo")  # renamed
    again = index.scan()
    rows = {r.file: r for r in again.rows}
    assert again.read == 3  # the changed, the added and the renamed one
    assert rows[files[3].relative_to(clinic).as_posix()].name == "Changed Name"
    assert "new/added.crmo" in rows and rows["new/added.crmo"].name == "Example Follow-up"
    assert files[5].relative_to(clinic).as_posix() not in rows
    assert files[7].relative_to(clinic).as_posix() not in rows and "renamed.crmo" in rows
    assert len(rows) == 24  # −1 removed +1 added; the renamed one counted once
    # The stored index agrees after closing and reopening.
    index.close()
    assert {r.file for r in Index(clinic).rows()} == set(rows)


def test_a_folder_that_disappears(clinic):
    index = Index(clinic)
    index.scan()
    shutil.rmtree(clinic)
    with pytest.raises(LibraryError, match="is not a folder"):
        index.scan()


def test_duplicate_mrns_are_flagged_on_both_files(tmp_path):
    folder = tmp_path / "lib"
    _copy("followup-two-visits.crmo", folder / "a.crmo")
    _copy("followup-two-visits.crmo", folder / "sub" / "b.crmo")
    _copy("typical-multifocal.crmo", folder / "c.crmo")  # no MRN: never a duplicate
    _copy("leukaemia-mimic.crmo", folder / "d.crmo")  # no MRN either
    rows = _rows(folder)
    assert rows["a.crmo"].duplicate_mrn_of == ["sub/b.crmo"]
    assert rows["sub/b.crmo"].duplicate_mrn_of == ["a.crmo"]
    assert rows["c.crmo"].duplicate_mrn_of == [] and rows["d.crmo"].duplicate_mrn_of == []


def test_a_cancelled_scan_keeps_what_it_indexed(clinic):
    index = Index(clinic)
    done = []
    result = index.scan(progress=lambda i, n: done.append((i, n)), cancelled=lambda: len(done) >= 10)
    assert result.cancelled and len(result.rows) == 10 and done[-1] == (10, 24)
    rest = index.scan()
    assert not rest.cancelled and rest.read == 14 and len(rest.rows) == 24


def test_two_indexes_on_one_library(clinic):
    """Two windows on one library: each has its own connection to the one index file."""
    a, b = Index(clinic), Index(clinic)
    assert a.path == b.path
    assert a.scan().read == 24
    assert b.scan().read == 0  # b sees what a indexed
    target = sorted(clinic.rglob("*.crmo"))[0]
    _touch_changed(target, target)
    row = a.update_file(target)  # a saved it
    assert row.name == "Changed Name"
    assert b.scan().read == 0  # already up to date in the shared index
    assert {r.file: r.name for r in b.rows()}[row.file] == "Changed Name"
    a.close(), b.close()


def test_a_non_folder_is_refused(tmp_path):
    f = _copy("typical-multifocal.crmo", tmp_path / "x.crmo")
    with pytest.raises(LibraryError):
        Index(f)
    with pytest.raises(LibraryError):
        Index(tmp_path / "missing")


def test_an_unreadable_file_made_readable_is_read_again_with_the_same_size_and_mtime(tmp_path):
    """chmod changes neither size nor mtime: a row that says "could not read" is tried on every scan,
    and a file still unreadable for the same reason is not a change."""
    folder = tmp_path / "lib"
    make_library(2, folder, hostile=False)
    path = sorted(folder.rglob("*.crmo"))[0]
    good = path.read_bytes()
    st = path.stat()
    path.write_bytes(b"[" + good[1:])  # damaged, same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    index = Index(folder)
    first = {r.file: r for r in index.scan().rows}
    rel = path.relative_to(folder).as_posix()
    assert first[rel].error is not None and first[rel].error.startswith("could not read")
    again = index.scan()
    assert again.read == 0 and not again.changed  # still damaged: nothing changed
    path.write_bytes(good)  # mended, and the same size and mtime as the damaged one
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    mended = index.scan()
    assert mended.read == 1
    row = {r.file: r for r in mended.rows}[rel]
    assert row.error is None and row.name == load_case(path).patient.name
