"""Loaded at start-up by every Python process the benchmarks run (its folder is put first on their
PYTHONPATH): at exit, the process prints its own peak resident memory to stderr, `peak-rss-kib N`.

Why not os.wait4's ru_maxrss: on Linux a child's ru_maxrss includes the resident memory of the
process it was started from, at the moment of the exec (the kernel keeps the old memory's high-water
mark), so every child read as at least as big as the benchmark script itself (~57 MiB once it has
imported the app; a bare `python -c pass` then reads 57 MiB instead of 12). VmHWM is the child's own.
"""
import atexit
import sys


def _report_peak() -> None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    print(f"peak-rss-kib {line.split()[1]}", file=sys.stderr, flush=True)
    except OSError:  # no /proc (not Linux): the script falls back to ru_maxrss
        pass


atexit.register(_report_peak)
