"""The built book in headless Chromium: every page, the sidebar navigation and the search.

For every HTML page of the site (from $BOOK_HTML, default _build/html): it loads with no console
error and no failed request, it asks nothing of any host but the local server, every formula is
typeset by MathJax and no raw TeX is left in the text, every image loads and has alt text, and every
matplotlib animation player steps and plays; every chapter shows at least two figures. A screenshot
of each page (its first screen; SITE_FULL_SCREENSHOTS=1 for whole pages) is saved under
tests/artifacts/screenshots/. index.html is a redirect: its checks run on the page it leads to.

The sidebar must reach, by clicks, every page named in _toc.yml: each page of the table of contents
has a heading, and its sidebar has a visible link to the next page that passes every check of a
click (a trial click: nothing covers it); the first page is where index.html leads. The site's search
must find each term that some page mentions (test_search.py).

Each page is checked on its own, so the pages are spread over the test processes one at a time.
"""

from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import urljoin

import pytest

from .checks import (
    check_page,
    site_pages,
    toc_entries,
)
from .conftest import ROOT, book_html

PAGES = site_pages(book_html()) if book_html().exists() else []
# The table of contents in reading order ('chapters/x', no extension); index.html leads to the first.
TOC = toc_entries(ROOT / "_toc.yml")
NEXT = {f"{a}.html": f"{b}.html" for a, b in pairwise(TOC)}


def test_site_has_pages():
    assert PAGES, (
        f"no HTML pages under {book_html()}: build the book first (`make book`) or set BOOK_HTML"
    )


def _screenshot_name(page: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "__", page.removesuffix(".html")) + ".png"


@pytest.mark.parametrize("page", PAGES)
def test_page(page, browser, site_url, screenshots):
    report = check_page(
        browser,
        urljoin(site_url, page),
        site_url.rstrip("/"),
        screenshot=screenshots / _screenshot_name(page),
        links_to=urljoin(site_url, NEXT[page]) if page in NEXT else None,
    )
    assert not report.failures(), report.describe()
    if page.removesuffix(".html") in TOC:
        assert report.title, f"{page} has no heading (<h1> in its article)"
    if page == "index.html":
        first = urljoin(site_url, f"{TOC[0]}.html")
        assert report.landed.split("#")[0] == first, (
            f"index.html led to {report.landed}, not to {first}"
        )
    if page.startswith("chapters/"):
        # BOOK.md: every chapter has at least two figures; none would show if the notebooks ran
        # with a non-inline matplotlib backend (for example MPLBACKEND=Agg in the build's environment).
        assert report.images >= 2, (
            f"{page} shows {report.images} image(s); a chapter has at least 2 figures"
        )
