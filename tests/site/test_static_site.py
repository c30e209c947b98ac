"""Checks on the built site in _build/html (run after the build by `make test`).

The site must work offline: no page may load a script, stylesheet, image or frame from
another host. Links in the prose to references are fine.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
PAGES = sorted(HTML.glob("**/*.html")) if HTML.exists() else []
LOADING = {"script": "src", "img": "src", "iframe": "src", "link": "href", "source": "src",
           "video": "src", "audio": "src", "embed": "src", "object": "data"}


class _Loads(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attr = LOADING.get(tag)
        for name, value in attrs:
            if value and (name == attr or (tag == "link" and name == "href")):
                self.urls.append((tag, value))


def external(url: str) -> bool:
    absolute = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, flags=re.IGNORECASE)
    return bool(absolute) and not url.startswith("file:")


def test_site_was_built():
    assert PAGES, f"no built pages under {HTML}: run `make book` (or `make test`) first"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(HTML)))
def test_page_loads_nothing_from_other_hosts(page):
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    offenders = [f"<{tag}> {url}" for tag, url in parser.urls if external(url)]
    # Inline <script> text may also fetch: look for absolute URLs in import/require/fetch calls.
    text = page.read_text(encoding="utf-8")
    offenders += re.findall(r"(?:require|import|fetch)\(\s*['\"](?:https?:)?//[^'\"]+", text)
    assert not offenders, f"{page.relative_to(HTML)} loads from other hosts: {offenders}"


def test_mathjax_is_served_locally():
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").exists(), "MathJax is not bundled with the site"


def test_every_toc_page_was_built():
    from tests.test_repository import toc_files

    missing = [entry for entry in toc_files() if not (HTML / f"{entry}.html").exists()]
    assert not missing, f"pages missing from the built site: {missing}"


CHAPTER_PAGES = sorted((HTML / "chapters").glob("*.html")) if HTML.exists() else []


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda p: p.name)
def test_chapter_page_weight_within_budget(page):
    from benchmarks.bench_book import page_weight

    weight = page_weight(page, HTML.resolve())
    assert weight <= 2.5e6, f"{page.name} weighs {weight / 1e6:.2f} MB with its images (budget 2.5 MB)"
