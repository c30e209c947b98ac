"""The built book's search, in headless Chromium: one search page, every term searched once.

The site's search must find each term of SEARCH_TERMS that some page mentions, among the pages that
mention it (the search, index and module-index pages are left out of that corpus: they list every
word or none), and must say that it found nothing for a word that no page has.
"""

from __future__ import annotations

import pytest

from .checks import pages_containing, search, site_pages

# Pages made by Sphinx, not by the book: not part of the search corpus.
GENERATED = {"search.html", "genindex.html", "py-modindex.html"}
# Searched for on the search page: each must be found if any content page mentions it.
SEARCH_TERMS = ["gradient", "Nesterov", "Hessian", "momentum", "Adam", "Rosenbrock"]

ABSENT = "qzxwvutsrq"


@pytest.fixture(scope="module")
def searched(browser, site_url):
    return search(browser, site_url, [*SEARCH_TERMS, ABSENT])


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_terms_of_the_corpus(term, searched, html_root):
    content = [p for p in site_pages(html_root) if p not in GENERATED]
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
