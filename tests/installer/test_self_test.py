"""`crmo-consult --self-test` from source: every check passes, and a broken expectation is reported."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

CHECKS = ("load example case", "assess: Bristol met, Jansson met (47)",
          "plan: mode cno, naproxen proposed with a dose", "write PDF note",
          "render main window", "save/load round trip")


def test_self_test_from_source_passes():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "desktop_app", "--self-test"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "(source)" in lines[0]
    assert [f"ok   {name}" for name in CHECKS] == lines[1:1 + len(CHECKS)]
    assert "FAIL" not in done.stdout
    assert lines[-1] == "self-test passed"


def test_a_wrong_result_fails_the_self_test(monkeypatch, capsys, qapp):
    from desktop_app.commands import self_test

    monkeypatch.setattr(self_test, "EXPECTED_JANSSON_POINTS", 46)
    assert self_test.run() == 1
    out = capsys.readouterr().out
    assert "FAIL assess: Bristol met, Jansson met (47): Jansson score 47" in out
    assert "ok   save/load round trip" in out  # later checks still run
    assert "self-test FAILED (1 check(s))" in out


def test_a_missing_example_stops_early(monkeypatch, capsys, tmp_path):
    from desktop_app.commands import self_test

    monkeypatch.setattr(self_test, "EXAMPLE", tmp_path / "gone.crmo")
    assert self_test.run() == 1
    out = capsys.readouterr().out
    assert f"FAIL load example case: {tmp_path / 'gone.crmo'} is missing" in out
    assert "render main window" not in out  # nothing else can run without the case


def test_a_wrong_mode_fails_the_plan_check(monkeypatch, capsys, qapp):
    from desktop_app.commands import self_test

    monkeypatch.setattr(self_test, "EXPECTED_MODE", "workup")
    assert self_test.run() == 1
    assert "FAIL plan: mode cno, naproxen proposed with a dose: mode is cno, expected workup" in capsys.readouterr().out
