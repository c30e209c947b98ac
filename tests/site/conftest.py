"""Fixtures for the browser tests: Debian's Chromium through Playwright, a static HTTP server over the
built site, and a JupyterLab server on a temporary copy of the chapters.

The site is read from $BOOK_HTML (default: _build/html of the repository). Without Chromium the browser
tests fail on CI (environment variable CI set) and are skipped, loudly, elsewhere.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .checks import CHROMIUM, INSTALL_HINT, free_port, launch_browser, serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
DIALOG_LOG = ROOT / "tests" / "artifacts" / "jupyterlab-dialogs.txt"
_MISSING: list[str] = []


def book_html() -> Path:
    return Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()


def _no_browser(reason: str):
    message = f"browser tests cannot run: {reason}; {INSTALL_HINT}"
    if os.environ.get("CI"):
        pytest.fail(
            message + " (CI is set, so this is a failure, not a skip)", pytrace=False
        )
    if message not in _MISSING:
        _MISSING.append(message)
    pytest.skip(message)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the main process (or the only one)
        DIALOG_LOG.unlink(missing_ok=True)


# Test files whose tests are independent of each other: handed to the test processes one test at a
# time. Every other file is handed over whole (its module fixtures, such as the search page, are
# made once), and the files that use JupyterLab go to one process together (one server).
ONE_BY_ONE = {"test_browser.py", "test_breakage.py"}


def site_scope(nodeid: str) -> str:
    """The unit of work that `nodeid` belongs to, for pytest-xdist (`-n 2 --dist loadscope`)."""
    module = nodeid.split("::", 1)[0]
    name = module.rsplit("/", 1)[-1]
    if name in ONE_BY_ONE:
        return nodeid
    if name.startswith("test_jupyterlab"):
        return "jupyterlab"
    return module


def pytest_collection_modifyitems(items):
    """Stop at collection if a test that uses JupyterLab would be scheduled outside its group."""
    misplaced = [
        item.nodeid
        for item in items
        if "lab_server" in getattr(item, "fixturenames", ())
        and site_scope(item.nodeid) != "jupyterlab"
    ]
    if misplaced:
        raise pytest.UsageError(
            f"tests that use JupyterLab outside a test_jupyterlab*.py file: {misplaced}; "
            "move them there, so that they run in one process with one server"
        )


def pytest_xdist_make_scheduler(config, log):
    """xdist's scope scheduling with the units of `site_scope`.

    xdist's own `--dist loadgroup` would need `xdist_group` marks, but it groups by rewriting each
    item's `_nodeid`, which pytest 9.2 no longer reads: every test would run on its own.
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SiteScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return site_scope(nodeid)

    return SiteScheduling(config, log)


def log_dialogs(where: str, dialogs: list[str]) -> None:
    """Keep the JupyterLab dialogs a check accepted, for the summary at the end of the run."""
    if dialogs:
        DIALOG_LOG.parent.mkdir(parents=True, exist_ok=True)
        with DIALOG_LOG.open("a", encoding="utf-8") as log:
            log.writelines(f"{where}: {d}\n" for d in dialogs)


def pytest_terminal_summary(terminalreporter):
    if DIALOG_LOG.exists():
        terminalreporter.write_line("JupyterLab dialogs accepted during the checks:")
        for line in DIALOG_LOG.read_text(encoding="utf-8").splitlines():
            terminalreporter.write_line(f"  {line}")
    for message in _MISSING:
        bar = "!" * 100
        terminalreporter.write_line(bar, red=True, bold=True)
        terminalreporter.write_line(
            f"SKIPPED THE BROWSER TESTS - {message}", red=True, bold=True
        )
        terminalreporter.write_line(bar, red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser(
            "the Python package playwright is not installed in this environment"
        )
    manager = sync_playwright().start()
    try:
        chromium = launch_browser(manager)
    except Exception:
        manager.stop()
        raise
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture(scope="session")
def html_root() -> Path:
    root = book_html()
    if not (root / "index.html").exists():
        pytest.fail(
            f"no built site at {root}: run `make book` first (or set BOOK_HTML)",
            pytrace=False,
        )
    return root


@pytest.fixture(scope="session")
def site_url(html_root):
    with serve(html_root) as base:
        yield base


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# --------------------------------------------------------------------------------------------
# JupyterLab


class LabServer:
    """A running JupyterLab: `url(path)` opens a notebook under `root` with the token."""

    def __init__(
        self, root: Path, port: int, token: str, process: subprocess.Popen, log: Path
    ):
        self.root, self.port, self.token, self.process, self.log = (
            root,
            port,
            token,
            process,
            log,
        )
        self.base = f"http://127.0.0.1:{port}/"

    def url(self, notebook: str) -> str:
        return f"{self.base}lab/tree/{notebook}?token={self.token}&reset"

    def api(self, path: str, method: str = "GET", timeout: float = 5.0):
        request = urllib.request.Request(
            f"{self.base}api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(
            process.pid, signal.SIGKILL
        )  # the server's own process group (start_new_session)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, browser):
    """JupyterLab from the project's environment on a temporary copy of chapters/ (never the originals)."""
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.fail(
            f"{jupyter} is missing: run `make` to create the environment", pytrace=False
        )
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(
        ROOT / "chapters",
        root,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"),
    )
    config = base / "config"
    config.mkdir()
    # No news feed, no update check, no extension catalogue: JupyterLab must not reach the network.
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "LabApp": {
                    "news_url": None,
                    "check_for_updates_class": "jupyterlab.handlers.announcements."
                    "NeverCheckForUpdate",
                    "extension_manager": "readonly",
                },
            }
        )
    )
    # Render every cell (no windowing), so that every prompt and output is in the page.
    tracker = (
        base
        / "settings"
        / "@jupyterlab"
        / "notebook-extension"
        / "tracker.jupyterlab-settings"
    )
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    notification = (
        tracker.parents[1] / "apputils-extension" / "notification.jupyterlab-settings"
    )
    notification.parent.mkdir(parents=True)
    notification.write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # The kernels' sockets live in the runtime directory: a short path, since a Unix socket's path
    # is limited to 107 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="lab-"))
    env = {
        k: v for k, v in os.environ.items() if k != "MPLBACKEND"
    }  # kernels use the inline backend
    # Nothing shared with another server or with the user's own Jupyter: the data directory (its
    # notebook-signature database), IPython's profile (its history database) and the runtime files
    # are the server's own, so two test processes can each run a JupyterLab at once.
    env.update(
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_DATA_DIR=str(base / "data"),
        IPYTHONDIR=str(base / "ipython"),
        JUPYTER_RUNTIME_DIR=str(runtime),
        JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        JUPYTER_PLATFORM_DIRS="1",
    )
    port, token = free_port(), secrets.token_hex(24)
    log = base / "jupyterlab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(jupyter),
                "lab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                "--NotebookNotary.db_file=:memory:",
                # Kernels talk over Unix sockets in the runtime directory: no TCP port to pick, so
                # no port taken twice by kernels that two test processes start at the same moment.
                "--KernelManager.transport=ipc",
            ]
            + (["--allow-root"] if os.geteuid() == 0 else []),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=base,
            start_new_session=True,
        )
    server = LabServer(root, port, token, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"JupyterLab exited with {process.returncode}:\n{server.log_tail()}",
                    pytrace=False,
                )
            try:
                server.api("status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not start in 60 s:\n{server.log_tail()}",
                        pytrace=False,
                    )
                time.sleep(0.2)
        yield server
    finally:
        try:
            server.api("shutdown", method="POST")  # stops the kernels too
            process.wait(timeout=15)
        except Exception:  # noqa: BLE001 - fall back to signals
            pass
        _stop(process)
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture
def lab_page(browser, lab_server):
    """A fresh browser page for JupyterLab; requests to other hosts are blocked and recorded."""
    from .checks import Recorder

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    recorder = Recorder(lab_server.base.rstrip("/"))
    recorder.attach(context)
    page = context.new_page()
    page.recorder = recorder
    yield page
    log_dialogs("JupyterLab page", getattr(page, "lab_dialogs", []))
    context.close()
