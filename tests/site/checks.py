"""Browser checks shared by the site tests and by the tests that break things on purpose.

Every check takes a Playwright object (a browser or a page) and returns what it found; the tests
decide what to assert. The same functions run on the built book and on small synthetic pages and
notebooks, so a check that cannot see a deliberately planted fault is itself caught.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

# Debian's Chromium; CHROMIUM_PATH may point elsewhere (or at nothing, to try the missing-browser path).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-quic",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "install it with `apt-get update && apt-get install chromium chromium-driver`"
)
VIEWPORT = {"width": 1280, "height": 900}

# Text that MathJax should have replaced, or MyST markup that was never parsed.
RAW_MARKUP = [
    ("raw display math $$", re.compile(r"\$\$")),
    ("raw math delimiter \\( \\) \\[ \\]", re.compile(r"\\[()\[\]]")),
    ("raw \\begin{...}", re.compile(r"\\begin\{")),
    (
        "raw inline math $...$",
        re.compile(r"\$(?=[^$\n]{0,200}?[\\^_{}])[^$\n]{1,200}?\$"),
    ),
    (
        "unparsed MyST role",
        re.compile(r"\{(?:math|eq|glue(?::\w+)?|numref|ref|doc|cite(?::\w+)?|term)\}`"),
    ),
]


# --------------------------------------------------------------------------------------------
# A static HTTP server on 127.0.0.1


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


class _Server(http.server.ThreadingHTTPServer):
    # A browser opens several connections at once; with socketserver's default backlog of 5, the
    # kernel drops the connections beyond it and the browser asks again after a second.
    request_queue_size = 128


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port; yield the base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------------------------
# Pages of a built site


def site_pages(html_root: Path) -> list[str]:
    """Every HTML page of a built book, as paths relative to its root ('chapters/x.html').

    Sphinx's own folders (`_static`, `_images`, `_sources`, ...) and hidden folders hold no pages.
    """
    pages = []
    for path in sorted(html_root.rglob("*.html")):
        rel = path.relative_to(html_root)
        if any(part.startswith(("_", ".")) for part in rel.parts[:-1]):
            continue
        pages.append(rel.as_posix())
    return pages


def toc_entries(toc_file: Path) -> list[str]:
    """Every document named in a Jupyter Book `_toc.yml` (root first), without extension."""
    import yaml

    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [re.sub(r"\.(md|ipynb|rst)$", "", entry) for entry in found]


def article_text(html: str) -> str:
    """The text of a page's article (without the navigation, header and footer)."""
    match = re.search(r"<article[^>]*bd-article[^>]*>(.*?)</article>", html, flags=re.S)
    body = match.group(1) if match else html
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", body)


def pages_containing(html_root: Path, term: str, pages: list[str]) -> list[str]:
    """The content pages whose article text contains `term` as a word start (case-insensitive)."""
    pattern = re.compile(r"\b" + re.escape(term), flags=re.I)
    return [
        p
        for p in pages
        if pattern.search(article_text((html_root / p).read_text(encoding="utf-8")))
    ]


# --------------------------------------------------------------------------------------------
# Browser


def launch_browser(playwright):
    """Debian's Chromium, headless, offline-friendly; Playwright gives it a fresh temporary profile."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def is_local(url: str, origin: str) -> bool:
    return (
        url == origin
        or url.startswith(origin + "/")
        or url.split(":", 1)[0] in {"data", "blob", "about"}
    )


@dataclass
class Recorder:
    """Everything a browser context reported while a page was used."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        """Record every request; block (and record) those to other hosts so nothing leaves the machine."""

        # Only requests to other hosts are routed (a round trip to Python per request is slow).
        foreign = re.compile(rf"^(?!{re.escape(self.origin)}/|data:|blob:|about:)")
        context.route(foreign, lambda route: route.abort("blockedbyclient"))
        context.on("request", self._on_request)
        context.on(
            "requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})")
        )
        context.on("response", self._on_response)
        context.on("console", self._on_console)
        context.on("weberror", lambda e: self.page_errors.append(str(e.error)))

    def _on_request(self, request) -> None:
        self.requests.append(request.url)
        if not is_local(request.url, self.origin):
            self.foreign.append(request.url)

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _on_console(self, message) -> None:
        if message.type == "error":
            loc = message.location or {}
            self.console_errors.append(
                f"{message.text} [{loc.get('url', '')}:{loc.get('lineNumber', '')}]"
            )


_WAIT_FOR_MATH = """
async () => {
  const hasMath = document.querySelector('.math, mjx-container') !== null;
  const loader = document.querySelector('script[src*="mathjax" i], script[src*="tex-chtml"]');
  if (!loader) return hasMath ? 'the page has formulas but loads no MathJax' : 'none';
  for (let i = 0; i < 200; i++) {
    if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) break;
    await new Promise(r => setTimeout(r, 50));
  }
  const mj = window.MathJax;
  if (!(mj && mj.startup && mj.startup.promise)) return 'MathJax did not start';
  await window.MathJax.startup.promise;
  await document.fonts.ready;
  return 'ok';
}
"""

_MATH_STATE = """
() => {
  // Code, and API signatures (default values such as axis labels are code, not prose).
  const skip = 'pre, code, kbd, samp, script, style, textarea, noscript, mjx-container, .highlight, .sig';
  const math = [...document.querySelectorAll('.math')];
  const untypeset = math.filter(e => e.tagName !== 'MJX-CONTAINER' && !e.querySelector('mjx-container'))
                        .map(e => e.textContent.trim().slice(0, 80));
  const errors = [...document.querySelectorAll('mjx-merror')]
                   .map(e => e.getAttribute('data-mjx-error') || e.textContent.slice(0, 80));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && !node.parentElement.closest(skip)) texts.push(node.data);
  }
  return {math: math.length, containers: document.querySelectorAll('mjx-container').length,
          untypeset, errors, text: texts.join(' ')};
}
"""

_IMAGES = """
async () => {
  const imgs = [...document.images];
  imgs.forEach(i => { if (i.loading === 'lazy') i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(resolve => {
    i.addEventListener('load', resolve, {once: true});
    i.addEventListener('error', resolve, {once: true});
    setTimeout(resolve, 10000);
  })));
  return imgs.map(i => ({src: (i.getAttribute('src') || '').slice(0, 100), alt: i.getAttribute('alt'),
                         width: i.naturalWidth, complete: i.complete, id: i.id}));
}
"""

# A cheap fingerprint of a (possibly huge, data: URL) string.
_HASH_JS = """
(s) => { let h = 5381; for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
         return s.length + ':' + h; }
"""


@dataclass
class PageReport:
    """What `check_page` found; `problems` maps a check's name to its findings (empty = passed)."""

    url: str
    problems: dict[str, list[str]]
    images: int = 0
    math: int = 0
    animations: int = 0
    scrubbers: int = 0
    requests: int = 0
    title: str = ""  # the text of the article's first <h1>
    landed: str = ""  # the URL shown after the load (and any redirect)

    def failures(self) -> dict[str, list[str]]:
        return {name: found for name, found in self.problems.items() if found}

    def describe(self) -> str:
        lines = [f"{self.url}:"]
        for name, found in self.failures().items():
            lines += [f"  {name}:"] + [f"    - {item}" for item in found[:20]]
        return "\n".join(lines)


def math_problems(page) -> tuple[int, list[str]]:
    """Wait for MathJax; return (number of typeset formulas, problems)."""
    status = page.evaluate(_WAIT_FOR_MATH)
    state = page.evaluate(_MATH_STATE)
    problems = [] if status in ("ok", "none") else [status]
    problems += [f"formula not typeset: {text!r}" for text in state["untypeset"]]
    problems += [f"MathJax error: {text!r}" for text in state["errors"]]
    if state["math"] and not state["containers"]:
        problems.append(f"{state['math']} formulas but no <mjx-container> on the page")
    text = state["text"]
    for label, pattern in RAW_MARKUP:
        for match in list(pattern.finditer(text))[:5]:
            context = text[max(0, match.start() - 40) : match.end() + 40].replace(
                "\n", " "
            )
            problems.append(f"{label} in the visible text: ...{context}...")
    return state["containers"], problems


def image_problems(page) -> tuple[int, list[str]]:
    images = page.evaluate(_IMAGES)
    problems = []
    for img in images:
        name = img["src"] or f"<img id={img['id']!r}> without src"
        if not img["complete"] or img["width"] == 0:
            problems.append(f"image did not load (naturalWidth 0): {name}")
        if not (img["alt"] or "").strip():
            problems.append(f"image without alt text: {name}")
    return len(images), problems


def animation_problems(page) -> tuple[int, list[str]]:  # noqa: C901 - one scripted sequence per player
    """Matplotlib `to_jshtml` players: controls present, and stepping changes the displayed frame."""
    players = page.locator("div.animation")
    problems = []
    for i in range(players.count()):
        player = players.nth(i)
        img = player.locator("img").first
        slider = player.locator("input[type=range]")
        buttons = {
            name: player.locator(f"button[title='{name}']")
            for name in (
                "Play",
                "Pause",
                "Next frame",
                "Previous frame",
                "First frame",
                "Last frame",
            )
        }
        missing = [name for name, button in buttons.items() if button.count() == 0]
        if img.count() == 0 or slider.count() == 0 or missing:
            problems.append(
                f"animation {i}: controls missing: {missing or 'image or slider'}"
            )
            continue
        with contextlib.suppress(Exception):
            buttons["Pause"].first.click(timeout=2000)

        # Count every change of the displayed frame (no polling, so no aliasing with the frame rate).
        img.evaluate(
            "(el) => { el.__changes = 0; new MutationObserver(() => { el.__changes++; })"
            ".observe(el, {attributes: true, attributeFilter: ['src']}); }"
        )

        def changes(element=img) -> int:
            return element.evaluate("(el) => el.__changes")

        def frames_changed(since: int, seconds: float = 2.0, element=img) -> bool:
            deadline = time.monotonic() + seconds
            while changes(element) == since and time.monotonic() < deadline:
                page.wait_for_timeout(50)
            return changes(element) > since

        def frame(element=img) -> str:
            return element.evaluate(
                f"(el) => ({_HASH_JS})(el.getAttribute('src') || '')"
            )

        first, position, count = frame(), slider.first.input_value(), changes()
        try:
            buttons["Next frame"].first.click(timeout=5000)
        except Exception as exc:  # noqa: BLE001 - any failure to click is a finding
            problems.append(f"animation {i}: cannot click 'Next frame': {exc}")
            continue
        if not frames_changed(count) or frame() == first:
            problems.append(
                f"animation {i}: 'Next frame' did not change the displayed image"
            )
        if slider.first.input_value() == position:
            problems.append(f"animation {i}: 'Next frame' did not move the slider")
        # Playing must show new frames on its own.
        seen = {frame()}
        count = changes()
        buttons["Play"].first.click(timeout=5000)
        deadline = time.monotonic() + 3
        while len(seen) < 2 and time.monotonic() < deadline:
            if frames_changed(count, 0.5):
                count = changes()
                seen.add(frame())
        if len(seen) < 2:
            problems.append(f"animation {i}: 'Play' did not advance the frames")
        with contextlib.suppress(Exception):
            buttons["Pause"].first.click(timeout=2000)
    return players.count(), problems


def scrubber_problems(page) -> tuple[int, list[str]]:
    """The static explorers (`gl.book.scrubber`): moving the slider must change the picture and label."""
    scrubbers = page.locator("div.gl-scrubber")
    problems = []
    for i in range(scrubbers.count()):
        box = scrubbers.nth(i)
        img, slider, label = (
            box.locator("img").first,
            box.locator("input[type=range]").first,
            box.locator("output"),
        )
        if img.count() == 0 or slider.count() == 0 or label.count() == 0:
            problems.append(f"explorer {i}: image, slider or value label missing")
            continue
        if not (img.get_attribute("alt") or "").strip():
            problems.append(f"explorer {i}: the picture has no alt text")
        low, high = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
        if high - low < 2:
            problems.append(f"explorer {i}: fewer than three values ({low}..{high})")
            continue
        seen = set()
        for value in (low, high, (low + high) // 2):
            slider.fill(
                str(value)
            )  # sets the value and fires the input event, as a drag would
            seen.add(
                (
                    img.evaluate(f"(el) => ({_HASH_JS})(el.getAttribute('src') || '')"),
                    label.inner_text(),
                )
            )
        if (
            len({picture for picture, _ in seen}) < 3
            or len({text for _, text in seen}) < 3
        ):
            problems.append(
                f"explorer {i}: moving the slider to three positions showed "
                f"{len({p for p, _ in seen})} pictures and labels {sorted({t for _, t in seen})}"
            )
    return scrubbers.count(), problems


def open_page(page, url: str):
    """Go to `url` and wait for it to load; follow a `<meta http-equiv="refresh">` redirect (index.html)."""
    # A generous limit: this checks that the page loads, not how fast (benchmarks/ measures
    # speed); the API reference typesets about 700 formulas before its load event: 20 s on a
    # 2-core machine with three browsers loading it at once.
    response = page.goto(url, wait_until="load", timeout=120_000)
    refresh = True  # if the page cannot be asked, it is already navigating away
    for _ in range(3):
        try:
            refresh = page.evaluate(
                "() => !!document.querySelector('meta[http-equiv=\"refresh\" i]')"
            )
            break
        except Exception:  # noqa: BLE001 - "execution context was destroyed": a navigation is under way
            page.wait_for_load_state("load")
    if refresh and page.url == url:
        page.wait_for_url(lambda u: u != url, timeout=10000)
    page.wait_for_load_state("load")
    return response


def check_page(
    browser,
    url: str,
    origin: str,
    screenshot: Path | None = None,
    links_to: str | None = None,
) -> PageReport:
    """Load one page in a fresh context and run every page check on it.

    `links_to`: an absolute URL that the page's primary sidebar must link to (the next page of the
    table of contents), visibly and clickably.
    """
    context = browser.new_context(viewport=VIEWPORT)
    recorder = Recorder(origin)
    recorder.attach(context)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    title = landed = ""
    try:
        response = open_page(page, url)
        if response is None or not response.ok:
            recorder.failed.append(
                f"{url} ({'no response' if response is None else response.status})"
            )
        n_math, problems["math"] = math_problems(page)
        n_images, problems["images"] = image_problems(page)
        n_anim, problems["animations"] = animation_problems(page)
        n_scrub, problems["static explorers"] = scrubber_problems(page)
        landed = page.url
        heading = page.locator("article h1").first
        title = heading.inner_text().strip() if heading.count() else ""
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            # The first screen of the page; a full-page capture of a long page takes seconds.
            page.screenshot(
                path=str(screenshot),
                full_page=bool(os.environ.get("SITE_FULL_SCREENSHOTS")),
            )
        # After the screenshot: the trial click may scroll the sidebar.
        if links_to is not None:
            problems["sidebar"] = sidebar_problems(page, links_to)
    finally:
        context.close()
    problems["console errors"] = recorder.console_errors + recorder.page_errors
    problems["failed requests"] = recorder.failed
    problems["requests to other hosts"] = recorder.foreign
    return PageReport(
        url,
        problems,
        images=n_images,
        math=n_math,
        animations=n_anim,
        scrubbers=n_scrub,
        requests=len(recorder.requests),
        title=title,
        landed=landed,
    )


# --------------------------------------------------------------------------------------------
# Navigation and search

SIDEBAR_LINKS = "nav.bd-docs-nav a, .bd-sidebar-primary a.navbar-brand"


def sidebar_problems(page, target: str) -> list[str]:
    """The primary sidebar of the loaded `page` links to `target` (an absolute URL), visibly and clickably.

    The click is Playwright's trial click: every check of a real click (the link attached, visible,
    stable, enabled, and the topmost element at its centre, so not covered) without navigating.
    Together with the check of `target` itself, this is a click-through of the sidebar without
    loading each page a second time.
    """
    links = page.locator(SIDEBAR_LINKS)
    hrefs = links.evaluate_all("(as) => as.map(a => a.href)")
    index = next((k for k, h in enumerate(hrefs) if h.split("#")[0] == target), None)
    here, there = urlsplit(page.url).path, urlsplit(target).path
    if index is None:
        return [f"no sidebar link to {there} on {here}"]
    link = links.nth(index)
    if not link.is_visible():
        return [f"the sidebar link to {there} is hidden on {here}"]
    try:
        link.click(trial=True, timeout=3000)
    except Exception as exc:  # noqa: BLE001 - any failure to click is a finding
        reason = str(exc).strip().splitlines()[0]
        return [f"the sidebar link to {there} cannot be clicked on {here}: {reason}"]
    return []


_RUN_SEARCH = """
async (term) => {
  const out = document.getElementById('search-results');
  out.innerHTML = '';
  Search.performSearch(term);
  for (let i = 0; i < 300; i++) {
    const summary = out.querySelector('p.search-summary');
    if (summary && /found|did not match/.test(summary.innerText)) {
      const links = [...out.querySelectorAll('ul.search li a')];
      return {summary: summary.innerText, hrefs: links.map(a => a.href)};
    }
    await new Promise(r => setTimeout(r, 50));
  }
  return {summary: 'no answer from the search in 15 s', hrefs: []};
}
"""


def search(browser, base: str, terms: list[str]) -> dict[str, tuple[list[str], str]]:
    """Run the site's own search for each term; return {term: (result pages relative to `base`, summary)}.

    The first term is searched as a reader does (search.html?q=...), the others on the same page
    through Sphinx's `Search.performSearch`, which is what the search box calls.
    """
    context = browser.new_context(viewport=VIEWPORT)
    Recorder(base.rstrip("/")).attach(context)
    page = context.new_page()
    found = {}
    try:
        page.goto(urljoin(base, f"search.html?q={quote(terms[0])}"), wait_until="load")
        page.wait_for_function(
            "() => /found|did not match/.test("
            "document.querySelector('#search-results p.search-summary')?.innerText)",
            timeout=15000,
        )
        for term in terms:
            answer = page.evaluate(_RUN_SEARCH, term)
            pages = sorted(
                {
                    h.split("#")[0].split("?")[0][len(base) :]
                    for h in answer["hrefs"]
                    if h.startswith(base)
                }
            )
            found[term] = (pages, answer["summary"])
    finally:
        context.close()
    return found


# --------------------------------------------------------------------------------------------
# JupyterLab


_FINGERPRINT_IMAGES = """
(cell) => {
  const hash = HASH;
  const parts = [];
  for (const img of cell.querySelectorAll('.jp-OutputArea img')) {
    if (!img.complete || img.naturalWidth === 0) { parts.push('unloaded'); continue; }
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    canvas.getContext('2d').drawImage(img, 0, 0);
    parts.push(hash(canvas.toDataURL()));
  }
  for (const c of cell.querySelectorAll('.jp-OutputArea canvas')) parts.push(hash(c.toDataURL()));
  return parts.join('|');
}
""".replace("HASH", _HASH_JS.strip())

_ERROR_OUTPUTS = (
    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
    ".jp-OutputArea-output.jp-mod-error, .jp-RenderedText[data-mime-type*='error']"
)


# JupyterLab dialogs whose title says the kernel or the server failed: a check fails on these.
# Any other dialog (a kernel choice asked while the kernel list loads, a notice) is accepted and
# recorded, since it covers the page and would swallow every click under it.
FAILURE_DIALOG = re.compile(
    r"restart|terminat|error|stopped|unavailable|unreachable|cannot", re.I
)


def watch_dialogs(page) -> list[str]:
    """Accept every JupyterLab dialog that opens on `page`; return the list of what they said.

    The list ("title: text") grows as dialogs open; it is the same list on every call for a page.
    """
    seen = getattr(page, "lab_dialogs", None)
    if seen is not None:
        return seen
    seen = []

    def accept(dialog) -> None:
        title = " ".join(dialog.locator(".jp-Dialog-header").all_inner_texts()).strip()
        body = " ".join(dialog.locator(".jp-Dialog-body").all_inner_texts()).strip()
        seen.append(f"{title}: {' '.join(body.split())}"[:400])
        button = dialog.locator(".jp-Dialog-button.jp-mod-accept")
        if button.count():
            button.first.click()
        else:
            page.keyboard.press("Escape")

    page.add_locator_handler(page.locator(".jp-Dialog").first, accept)
    page.lab_dialogs = seen
    return seen


def dialog_problems(dialogs: list[str]) -> list[str]:
    """The dialogs that mean a failure, as problems."""
    return [
        f"JupyterLab showed a failure dialog: {d}"
        for d in dialogs
        if FAILURE_DIALOG.search(d.split(":", 1)[0])
    ]


@dataclass
class ExplorerReport:
    """What running a notebook and moving its explorer found in JupyterLab."""

    problems: list[str]
    slider: str = ""
    values: tuple[str, str] = ("", "")
    plots: tuple[str, str] = ("", "")
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    dialogs: list[str] = field(default_factory=list)


def _run_all(
    page, timeout_s: float, timings: dict[str, float]
) -> tuple[list[str], list[str]]:
    """Run every cell (Run > Run All Cells); wait until the kernel is idle and no cell is pending.

    Returns (error outputs, problems).
    """
    start = time.monotonic()
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=30000)
    timings["open"] = time.monotonic() - start
    indicator = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator"
    # The kernel must be up before running; its status lives on the notebook toolbar.
    page.wait_for_function(
        f"() => document.querySelector({indicator!r})?.getAttribute('data-status') === 'idle'",
        timeout=60000,
    )
    # A click while the kernel is still connecting can be lost: retry until a cell starts running.
    timings["kernel"] = time.monotonic() - start
    deadline = time.monotonic() + 30
    attempt = 0
    while True:
        attempt += 1
        timings["run all clicks"] = attempt
        page.locator(
            ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .jp-InputPrompt"
        ).first.click()
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
                ".some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))",
                timeout=1000,
            )
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: the click was lost, try again
            if time.monotonic() > deadline:
                return [], ["Run > Run All Cells did not start any cell in 30 s"]
    # Done when the run has started (a prompt showed [*], or every prompt is numbered) and then, twice
    # in a row 300 ms apart, the kernel is idle and no prompt shows [*].
    page.wait_for_function(
        f"""() => {{
          const prompts = [...document.querySelectorAll(
              '.jp-CodeCell .jp-InputPrompt:not(.jp-Placeholder-prompt)')].map(e => e.textContent.trim());
          const idle = document.querySelector({indicator!r})?.getAttribute('data-status') === 'idle';
          const pending = prompts.some(t => t.includes('*'));
          if (pending || !idle) window.__labStarted = true;
          const started = window.__labStarted || prompts.every(t => /^\\[\\d+\\]:$/.test(t));
          const now = started && idle && !pending;
          const done = now && window.__labSettled === true;
          window.__labSettled = now;
          return done;
        }}""",
        polling=300,
        timeout=timeout_s * 1000,
    )
    timings["run"] = time.monotonic() - start
    # Cells whose input is collapsed (the hidden bookkeeping and assert cells) show an empty
    # placeholder prompt. Every code cell ran once, in order, in the last run when the count
    # each visible prompt shows is its cell's place among the code cells, plus the same offset
    # for all (a whole number of earlier runs: a "Run All" click retried under load runs twice).
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.jp-CodeCell')].map(cell => {
          const p = cell.querySelector('.jp-InputPrompt');
          return p && !p.classList.contains('jp-Placeholder-prompt') ? p.textContent.trim() : null;
        })"""
    )
    cells = len(shown)
    prompts = [(k, t) for k, t in enumerate(shown, start=1) if t is not None]
    counts = {
        k: int(m.group(1)) for k, t in prompts if (m := re.fullmatch(r"\[(\d+)\]:", t))
    }
    offsets = {c - k for k, c in counts.items()}
    problems = []
    if (
        not prompts
        or len(counts) != len(prompts)
        or len(offsets) != 1
        or next(iter(offsets)) % cells
    ):
        problems.append(
            f"code cells not executed once each, in order: prompts "
            f"{[t for _, t in prompts]} at places {[k for k, _ in prompts]} of {cells} code cells"
        )
    return page.locator(_ERROR_OUTPUTS).all_inner_texts(), problems


def run_notebook(page, url: str, run_timeout_s: float = 60) -> ExplorerReport:
    """Open a notebook in JupyterLab and run all its cells; report error outputs and unexecuted cells."""
    start = time.monotonic()
    timings: dict[str, float] = {}
    dialogs = watch_dialogs(page)
    page.goto(url, wait_until="domcontentloaded")
    try:
        errors, problems = _run_all(page, run_timeout_s, timings)
    except Exception as exc:  # a timeout of playwright's: say what covered the notebook
        still_open = page.locator(".jp-Dialog").all_inner_texts()
        raise RuntimeError(
            f"{url}: {exc}\nJupyterLab dialogs accepted: {list(dialogs)}"
            f"\nstill open: {[' '.join(t.split())[:400] for t in still_open]}"
        ) from exc
    problems += [f"error output after Run All: {e[-600:]}" for e in errors]
    problems += dialog_problems(dialogs)
    return ExplorerReport(
        problems,
        errors=errors,
        seconds=time.monotonic() - start,
        timings=timings,
        dialogs=list(dialogs),
    )


def move_slider(
    page,
    slider_label: str = r"lr|learning|eta|η",
    presses: int = 5,
    known_errors: int = 0,
    wait_s: float = 6.0,
) -> ExplorerReport:
    """Move a widget slider of the open notebook with the keyboard; report whether its plot changed.

    The slider is the first widget slider whose label matches `slider_label` (else the first slider);
    it is focused and moved with ArrowRight `presses` times. Its plot is every image or canvas in the
    output of the cell that holds the slider, compared pixel for pixel (each drawn to a canvas).
    Error outputs beyond the first `known_errors` are reported too.
    """
    start = time.monotonic()
    timings: dict[str, float] = {}
    dialogs = watch_dialogs(page)
    shown_before = len(dialogs)
    sliders = page.locator(".jp-OutputArea .widget-slider")
    try:
        sliders.first.wait_for(state="visible", timeout=20000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError
        return ExplorerReport(["no widget slider rendered in the notebook"])
    labels = [t.strip() for t in sliders.locator(".widget-label").all_inner_texts()]
    pick = next(
        (k for k, t in enumerate(labels) if re.search(slider_label, t, flags=re.I)), 0
    )
    slider = sliders.nth(pick)
    cell = slider.locator(
        "xpath=ancestor::div[contains(concat(' ', @class, ' '), ' jp-CodeCell ')][1]"
    )
    readout = slider.locator(".widget-readout")
    problems: list[str] = []

    def plot() -> str:
        return cell.evaluate(_FINGERPRINT_IMAGES)

    deadline = time.monotonic() + 20
    while not plot() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    before_plot, before_value = plot(), readout.inner_text()
    timings["widget shown"] = time.monotonic() - start
    if not before_plot:
        problems.append("the explorer shows no plot (no image or canvas in its output)")
    slider.locator(".noUi-handle, [role=slider]").first.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(30)
    after_value = readout.inner_text()
    if after_value == before_value:
        problems.append(
            f"the slider {labels[pick]!r} did not move (value stays {before_value})"
        )
    deadline = time.monotonic() + wait_s
    after_plot = plot()
    while after_plot == before_plot and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        after_plot = plot()
    timings["plot compared"] = time.monotonic() - start
    # Let a pending redraw or error land before looking for errors.
    page.wait_for_timeout(300)
    if after_plot == before_plot:
        problems.append(
            f"moving {labels[pick]!r} from {before_value} to {after_value} did not change the plot"
        )
    new_errors = page.locator(_ERROR_OUTPUTS).all_inner_texts()[known_errors:]
    problems += [
        f"error output after moving the slider: ...{e[-400:]}" for e in new_errors
    ]
    problems += dialog_problems(dialogs[shown_before:])
    return ExplorerReport(
        problems,
        slider=labels[pick],
        values=(before_value, after_value),
        plots=(before_plot, after_plot),
        errors=new_errors,
        seconds=time.monotonic() - start,
        timings=timings,
        dialogs=dialogs[shown_before:],
    )


# --------------------------------------------------------------------------------------------
# Reading a chapter in JupyterLab


# What the reader must never see in rendered Markdown: roles and directives left as source text,
# and failed {eval} roles (jupyterlab-myst prints the exception in their place).
RAW_MYST = re.compile(
    r"\{(?:eval|glue|glue:text|doc|ref|numref|cite|cite:p|cite:t|eq|term)\}`|```\{|:::\{|"
    r"\b[A-Z][A-Za-z]*Error: "
)

_MARKDOWN_TEXTS = """() => [...document.querySelectorAll('.jp-MarkdownCell')].map(cell => {
  const clone = cell.cloneNode(true);
  clone.querySelectorAll('.cm-editor, .jp-cell-toolbar').forEach(e => e.remove());  // the hidden source
  return clone.innerText;
})"""


@dataclass
class ReadingReport:
    """What `check_reading` found in a chapter run in JupyterLab."""

    problems: list[str]
    markdown_cells: int = 0
    exercises: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    dialogs: list[str] = field(default_factory=list)


def check_reading(
    page,
    url: str,
    notebook: Path,
    run_timeout_s: float = 90,
    screenshot: Path | None = None,
) -> ReadingReport:
    """Open a chapter in JupyterLab, run all cells, and read it as a reader would.

    Every Markdown cell must be rendered by jupyterlab-myst with no raw role or directive and no
    failed {eval}; every computed number of the prose must be shown; the exercises and solutions
    must be rendered as such; no cell may show an error.
    """
    import json

    start = time.monotonic()
    run = run_notebook(page, url, run_timeout_s)
    problems = list(run.problems)
    texts = page.evaluate(_MARKDOWN_TEXTS)
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    if len(texts) != len(sources):
        problems.append(
            f"{len(texts)} Markdown cells rendered, the notebook has {len(sources)}"
        )
    for k, (text, source) in enumerate(zip(texts, sources, strict=False)):
        for raw in sorted(set(RAW_MYST.findall(text))):
            problems.append(
                f"Markdown cell {k}: raw or failed MyST {raw!r} in: ...{text[:160]!r}"
            )
        for name in re.findall(r"\{eval\}`([^`]+)`", source):
            if name in text:
                problems.append(
                    f"Markdown cell {k}: {{eval}}`{name}` shown as its name, not its value"
                )
    expected = sum(s.count(":::{exercise}") + s.count(":::{solution}") for s in sources)
    rendered = page.locator(".jp-MarkdownCell .myst-exercise").count()
    if rendered != expected:
        problems.append(
            f"{rendered} exercises and solutions rendered, the notebook has {expected}"
        )
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(screenshot))
    return ReadingReport(
        problems,
        markdown_cells=len(texts),
        exercises=rendered,
        seconds=time.monotonic() - start,
        timings=run.timings,
        dialogs=run.dialogs,
    )
