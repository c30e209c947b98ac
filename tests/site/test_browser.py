"""The built book in headless Chromium: every page, the sidebar navigation and the search.

For every HTML page of the site (from $BOOK_HTML, default _build/html): it loads with no console
error and no failed request, it asks nothing of any host but the local server, every formula is
typeset by MathJax and no raw TeX is left in the text, every image loads and has alt text, and every
matplotlib animation player steps and plays; every chapter shows at least two figures. A screenshot
of each page (its first screen; SITE_FULL_SCREENSHOTS=1 for whole pages) is saved under
tests/artifacts/screenshots/. index.html is a redirect: its checks run on the page it leads to.

The sidebar must reach, by clicks, every page named in _toc.yml, and the site's search must find each
term of SEARCH_TERMS that some page mentions (the search, index and module-index pages are left out
of that corpus: they list every word or none).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from .checks import (
    check_navigation,
    check_page,
    pages_containing,
    search,
    site_pages,
    toc_entries,
)
from .conftest import ROOT, book_html

PAGES = site_pages(book_html()) if book_html().exists() else []
# Pages made by Sphinx, not by the book: checked like every page, but not part of the search corpus.
GENERATED = {"search.html", "genindex.html", "py-modindex.html"}
# Searched for on the search page: each must be found if any content page mentions it.
SEARCH_TERMS = ["gradient", "Nesterov", "Hessian", "momentum", "Adam", "Rosenbrock"]


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
    )
    assert not report.failures(), report.describe()
    if page.startswith("chapters/"):
        # BOOK.md: every chapter has at least two figures; none would show if the notebooks ran
        # with a non-inline matplotlib backend (for example MPLBACKEND=Agg in the build's environment).
        assert report.images >= 2, (
            f"{page} shows {report.images} image(s); a chapter has at least 2 figures"
        )


def test_sidebar_reaches_every_toc_entry(browser, site_url, html_root):
    expected = toc_entries(ROOT / "_toc.yml")
    missing = [e for e in expected if not (html_root / f"{e}.html").exists()]
    assert not missing, f"pages in _toc.yml that were not built: {missing}"
    reached, problems = check_navigation(browser, site_url, "index.html", expected)
    assert not problems, "\n".join(problems)
    assert reached == expected


ABSENT = "qzxwvutsrq"


@pytest.fixture(scope="module")
def searched(browser, site_url):
    return search(browser, site_url, [*SEARCH_TERMS, ABSENT])


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_terms_of_the_corpus(term, searched, html_root):
    content = [p for p in PAGES if p not in GENERATED]
    containing = pages_containing(html_root, term, content)
    if not containing:
        pytest.skip(f"no page mentions {term!r} yet")
    found, summary = searched[term]
    assert found, (
        f"search for {term!r} found nothing ({summary!r}); it occurs in {containing}"
    )
    assert set(found) & set(containing), (
        f"search for {term!r} returned {found}, none of {containing}"
    )


def test_search_reports_no_match_for_an_absent_word(searched):
    found, summary = searched[ABSENT]
    assert not found and "did not match" in summary, (found, summary)
