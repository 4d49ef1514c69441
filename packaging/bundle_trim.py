"""What the installer leaves out, and why: one list shared by build_installer.spec and baseline.spec.

PyInstaller's `excludes` only stops *Python* imports; Qt shared libraries, plugins and translations
are collected by the Qt hooks and linked-library analysis (pyinstaller#5503), so they are filtered
out of the Analysis TOC afterwards (`trim`). Every entry carries its reason; keep it that way.
"""
from __future__ import annotations

import os
import subprocess
import sys

# Python modules the app never imports (module -> why it is safe to drop).
EXCLUDES: dict[str, str] = {
    "tkinter": "GUI is Qt; tkinter drags in Tcl/Tk (~10 MB)",
    "_tkinter": "same as tkinter",
    "PyQt5": "other Qt bindings: PyInstaller aborts when two bindings are collected (#8329)",
    "PyQt6": "other Qt bindings (#8329)",
    "PySide2": "other Qt bindings (#8329)",
    "PySide6.QtQml": "no QML anywhere in the app (QtQml+QtQuick were ~57 MB, caliscope#847)",
    "PySide6.QtQuick": "no QML/Quick UI",
    "PySide6.QtQuickControls2": "no QML/Quick UI",
    "PySide6.QtQuickWidgets": "no QML/Quick UI",
    "PySide6.QtQuickTest": "no QML/Quick UI",
    "PySide6.QtQmlFeatures": "no QML/Quick UI",
    "PySide6.QtLabsStyleKit": "QML style kit, no QML",
    "PySide6.QtNetwork": "offline app: no sockets/HTTP from Python (libQt6Network stays: QtPdf links it)",
    "PySide6.QtOpenGL": "widgets are raster-painted; no OpenGL views",
    "PySide6.QtOpenGLWidgets": "no QOpenGLWidget",
    "PySide6.QtDBus": "no D-Bus calls from Python (libQt6DBus stays: QtGui links it on Linux)",
    "PySide6.QtDesigner": "Designer plugin API, development only",
    "PySide6.QtUiTools": "no .ui files loaded at run time",
    "PySide6.QtHelp": "no Qt Assistant help collections",
    "PySide6.QtSql": "cases are JSON files, no database",
    "PySide6.QtTest": "tests use pytest-qt from the venv, never the bundle",
    "PySide6.QtXml": "no XML DOM (JSON case files)",
    "PySide6.QtConcurrent": "no QtConcurrent thread pools",
    "pytest": "test-only dependency",
    "_pytest": "test-only dependency",
    "pytestqt": "test-only dependency",
    "hypothesis": "test-only dependency",
    "pypdf": "test-only dependency (the self-test reads PDFs with QtPdf)",
    "PIL._avif": "Pillow's AVIF codec (~5 MB libavif); ReportLab only embeds PNG/JPEG, Pillow skips missing codecs",
    "PIL.AvifImagePlugin": "AVIF never read",
    "PIL._webp": "Pillow's WebP codec; WebP never read",
    "PIL.WebPImagePlugin": "WebP never read",
    "PIL.ImageTk": "tkinter bridge; no tkinter",
    "PIL.ImageQt": "Pillow-Qt bridge; the app uses QImage directly",
    # ReportLab imports PIL.Image unconditionally, so Pillow's core stays; its optional extensions go.
    "PIL._imagingft": "Pillow's FreeType text (drags libfreetype/harfbuzz/brotli ~3.5 MB); ReportLab reads TTFs itself",
    "PIL.ImageFont": "Pillow text rendering, never used",
    "PIL._imagingcms": "colour management (liblcms2); no images are embedded",
    "PIL.ImageCms": "colour management, never used",
    "PIL._imagingmath": "PIL.ImageMath, never used",
    "PIL._imagingmorph": "PIL.ImageMorph, never used",
    "_codecs_jp": "CJK legacy codecs: case files are UTF-8 JSON",
    "_codecs_kr": "CJK legacy codecs: case files are UTF-8 JSON",
    "_codecs_cn": "CJK legacy codecs: case files are UTF-8 JSON",
    "_codecs_tw": "CJK legacy codecs: case files are UTF-8 JSON",
    "_codecs_hk": "CJK legacy codecs: case files are UTF-8 JSON",
    "_codecs_iso2022": "CJK legacy codecs: case files are UTF-8 JSON",
    # Standard-library and third-party packages nothing imports at run time (checked with
    # `python -X importtime` over the window, the PDF export, the preview and the self-test).
    "asyncio": "no async code",
    "multiprocessing": "single process",
    "unittest": "tests run from the venv, never the bundle",
    "doctest": "tests run from the venv",
    "pdb": "no debugger in the bundle",
    "pydoc": "no interactive help",
    "pydoc_data": "no interactive help",
    "charset_normalizer": "optional import of a dependency; all text is UTF-8",
    "pydantic.v1": "legacy pydantic v1 API, never imported",
    "pydantic.mypy": "mypy plugin, development only",
    "ssl": "offline app: no TLS (drops libssl)",
    "_ssl": "offline app: no TLS",
    "_hashlib": "OpenSSL hashes (libcrypto ~4.6 MB); hashlib falls back to its built-in md5/sha* (ReportLab needs md5 only)",
    "readline": "no interactive prompt (drops libreadline/libtinfo)",
    "IPython": "never used; sometimes pulled in by optional imports",
    "matplotlib": "never used; optional import of some libraries",
    "numpy": "never used; optional import of some libraries (large)",
}

# Collected files dropped by destination path (prefix -> why). Paths use "/" and are relative to the
# bundle's _internal folder. Prefixes, not globs, so the list stays reviewable.
DROP_PREFIXES: dict[str, str] = {
    "PySide6/Qt/translations/": "UI is English-only; no QTranslator is installed (~14 MB)",
    "PySide6/Qt/plugins/egldeviceintegrations/": "only for the eglfs platform (embedded, no window system)",
    "PySide6/Qt/plugins/platforms/libqeglfs": "embedded full-screen EGL, not a desktop platform",
    "PySide6/Qt/plugins/platforms/libqminimalegl": "embedded EGL test platform",
    "PySide6/Qt/plugins/platforms/libqlinuxfb": "framebuffer console, not a desktop platform",
    "PySide6/Qt/plugins/platforms/libqvnc": "VNC server platform, would open a network port",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay": "Vulkan direct display, embedded only",
    "PySide6/Qt/plugins/generic/": "evdev/tuio input for eglfs/linuxfb only (X11/Wayland deliver input)",
    "PySide6/Qt/plugins/networkinformation/": "offline app: no network reachability checks",
    "PySide6/Qt/plugins/tls/": "offline app: no TLS",
    "PySide6/Qt/plugins/qmltooling/": "no QML",
    "PySide6/Qt/plugins/sqldrivers/": "no database",
    "PySide6/Qt/plugins/imageformats/libqtiff": "app images are PNG/SVG; TIFF never read",
    "PySide6/Qt/plugins/imageformats/libqwebp": "app images are PNG/SVG; WebP never read",
    "PySide6/Qt/plugins/imageformats/libqtga": "TGA never read",
    "PySide6/Qt/plugins/imageformats/libqwbmp": "WBMP never read",
    "PySide6/Qt/plugins/imageformats/libqicns": "macOS icon files are read by the OS, not the app",
    "PySide6/Qt/plugins/imageformats/libqgif": "GIF never read",
    "PySide6/Qt/plugins/imageformats/libqjpeg": "app images are PNG/SVG; JPEG never read",
    "PySide6/Qt/lib/libQt6Qml": "no QML (pulled in only by excluded modules/plugins)",
    "PySide6/Qt/lib/libQt6Quick": "no QML/Quick",
    "PySide6/Qt/lib/libQt6OpenGL": "no OpenGL widgets",
    "PySide6/Qt/lib/libQt6Designer": "development only",
    "PySide6/Qt/plugins/platformthemes/libqgtk3": "GTK look and native GTK dialogs: the app uses Qt's own "
    "dialogs (pitfalls C.2) and the plugin drags in cairo/pango/gdk-pixbuf/gio (~9 MB) while GTK itself is not bundled",
    "PySide6/Qt/lib/libQt6EglFS": "only for the dropped eglfs platform",
    # Linux system library that must match the system's service: printing talks to the local CUPS
    # daemon through the system's libcups2 (a dependency of GTK 3, present on every desktop with
    # printing); bundling our own copy pulls in gnutls/krb5/avahi (~8 MB). Without it Qt still
    # prints to PDF, it just lists no printers.
    "libcups.so": "use the system's libcups2 (see comment above)",
    "PySide6/Qt/qml/": "no QML",
    # X11 (xcb) is kept: every Wayland desktop runs it through XWayland, and Qt falls back to xcb
    # when the wayland plugin is absent. Saves ~2 MB and the Wayland client libraries.
    "PySide6/Qt/plugins/platforms/libqwayland": "Wayland: use xcb through XWayland (see comment)",
    "PySide6/Qt/plugins/wayland-": "Wayland decorations/shells/graphics, only for the dropped wayland platform",
    "PySide6/Qt/lib/libQt6WaylandClient": "only for the dropped wayland platform",
    "PySide6/Qt/lib/libQt6WlShellIntegration": "only for the dropped wayland platform",
    "PySide6/Qt/resources/": "QtWebEngine resources, not shipped with Essentials",
}


def _dropped(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    return any(dest.startswith(prefix) for prefix in DROP_PREFIXES)


def _direct_imports(path: str) -> set[str]:
    """Names a binary links directly. On Linux PyInstaller's get_imports runs ldd, which lists the
    whole transitive closure (a kept plugin would then "need" what only a dropped library needs), so
    read the ELF NEEDED entries with objdump (binutils: PyInstaller needs it on Linux anyway)."""
    if sys.platform.startswith("linux"):
        out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True).stdout
        return {line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")}
    from PyInstaller.depend.bindepend import get_imports

    return {os.path.basename(name) for name, _ in get_imports(path)}


def _orphans(kept: list, dropped: list) -> set[str]:
    """Libraries that only dropped binaries link to (e.g. cairo, needed by nothing but the GTK theme).

    Link-time dependencies only: a library some kept binary dlopen()s but a dropped one links would be
    lost, which is why the frozen `--self-test` runs in the slow test after every build."""
    src = {os.path.basename(e[0]): e[1] for e in kept + dropped if e[2] in ("BINARY", "EXTENSION")}
    needs = {name: _direct_imports(path) & src.keys() for name, path in src.items()}

    def closure(start: set[str], avoid: frozenset[str] = frozenset()) -> set[str]:
        seen, todo = set(), list(start)
        while todo:
            name = todo.pop()
            if name not in seen and name not in avoid:
                seen.add(name)
                todo.extend(needs.get(name, ()))
        return seen

    dropped_names = frozenset(os.path.basename(e[0]) for e in dropped)
    from_dropped = closure(dropped_names & src.keys())
    still_needed = closure({os.path.basename(e[0]) for e in kept} & src.keys() - from_dropped, dropped_names)
    # A kept library reached from a kept root stays; the rest of what the dropped ones pulled in goes.
    return (from_dropped | dropped_names) - still_needed


def trim(analysis) -> None:
    """Drop DROP_PREFIXES (and libraries only they needed) from an Analysis, in place; call before PYZ/EXE."""
    kept = [e for e in analysis.binaries if not _dropped(e[0])]
    dropped = [e for e in analysis.binaries if _dropped(e[0])]
    gone = _orphans(kept, dropped)
    # Symlinks (pillow.libs, Qt libraries aliased in _internal/) are entries too: (link, target, "SYMLINK").
    analysis.binaries = [e for e in kept if not {os.path.basename(e[0]), os.path.basename(e[1])} & gone]
    analysis.datas = [e for e in analysis.datas if not _dropped(e[0])]
