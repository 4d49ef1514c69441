"""Where the index lives and how it is kept: owner-only, secure_delete, rebuilt when damaged or old,
and from memory (said once) when the cache folder is read-only."""
from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from desktop_app.cli import main
from desktop_app.library.index import SCHEMA, Index, index_path

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@posix_only
def test_the_index_is_owner_only_with_secure_delete(clinic, private_cache):
    index = Index(clinic)
    index.scan()
    assert index.path.parent == private_cache and index.path.name.endswith(".sqlite")
    assert clinic.name not in index.path.name  # a hash, no folder name
    assert stat.S_IMODE(index.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(private_cache.stat().st_mode) == 0o700
    assert index.db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert index.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA
    assert not index.note


def test_one_index_per_folder_never_in_the_folder(clinic, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    assert index_path(clinic) != index_path(other)
    Index(clinic).scan()
    assert not [p for p in clinic.rglob("*") if p.suffix in (".sqlite", ".db")]


def test_a_damaged_index_is_rebuilt_silently(clinic):
    index = Index(clinic)
    index.scan()
    index.close()
    index.path.write_bytes(b"this is not an SQLite database" * 100)
    again = Index(clinic)
    assert not again.note
    result = again.scan()
    assert result.read == 24 and len(result.rows) == 24


def test_an_old_index_is_rebuilt_silently(clinic):
    index = Index(clinic)
    index.scan()
    index.db.execute(f"PRAGMA user_version = {SCHEMA + 7}")
    index.close()
    result = Index(clinic).scan()
    assert result.read == 24  # every file read again into the new layout


def test_forget_this_library_deletes_its_index(clinic):
    index = Index(clinic)
    index.scan()
    path = index.path
    index.forget()
    assert not path.exists()
    assert clinic.is_dir() and len(list(clinic.rglob("*.crmo"))) == 24  # the files are untouched


def test_a_cache_folder_that_cannot_be_made_works_from_memory(clinic, tmp_path, monkeypatch, capsys):
    """The cache path runs through a file (as a read-only or broken profile would make it): memory."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CRMO_CONSULT_CACHE_DIR", str(blocker / "cache"))
    index = Index(clinic)
    assert "read-only or missing" in index.note
    assert index.scan().read == 24 and index.scan().read == 0
    assert main(["library", str(clinic)]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("could not be kept") == 1 and "24 case files" in captured.out


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes a read-only folder")
def test_a_read_only_cache_works_from_memory_and_says_so_once(clinic, private_cache, capsys):
    private_cache.mkdir(parents=True)
    os.chmod(private_cache, 0o500)
    try:
        index = Index(clinic)
        assert "read-only" in index.note
        assert index.scan().read == 24 and index.scan().read == 0  # the memory index still saves work
        assert main(["library", str(clinic), "--json"]) == 0
        captured = capsys.readouterr()
        assert captured.err.count("read-only") == 1 and captured.out.startswith("{")
        assert os.listdir(private_cache) == []
        assert stat.S_IMODE(private_cache.stat().st_mode) == 0o500  # left as the user made it
    finally:
        os.chmod(private_cache, 0o700)
