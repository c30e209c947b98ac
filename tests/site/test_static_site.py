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
LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "link": "href",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
}


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
    offenders += re.findall(
        r"(?:require|import|fetch)\(\s*['\"](?:https?:)?//[^'\"]+", text
    )
    assert not offenders, (
        f"{page.relative_to(HTML)} loads from other hosts: {offenders}"
    )


def test_mathjax_is_served_locally():
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").exists(), (
        "MathJax is not bundled with the site"
    )


def test_every_toc_page_was_built():
    from tests.test_repository import toc_files

    missing = [entry for entry in toc_files() if not (HTML / f"{entry}.html").exists()]
    assert not missing, f"pages missing from the built site: {missing}"


CHAPTER_PAGES = sorted((HTML / "chapters").glob("*.html")) if HTML.exists() else []


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda p: p.name)
def test_chapter_page_weight_within_budget(page):
    from benchmarks.bench_book import page_weight

    weight, _players = page_weight(page, HTML.resolve())
    assert weight <= 2.5e6, (
        f"{page.name} weighs {weight / 1e6:.2f} MB with its images (budget 2.5 MB)"
    )


# Chapters whose comparisons of methods must come from the race helper (gl.race), whose tables
# carry their grids and chosen values in a data attribute.
RACING_CHAPTERS = [
    "05_batch_stochastic_minibatch",
    "08_nesterov",
    "09_adagrad",
    "14_saddles_plateaus",
    "15_conjugate_gradient",
    "16_putting_it_together",
]


def race_tables(page: Path) -> list[list[dict]]:
    import json
    from html import unescape

    text = page.read_text(encoding="utf-8")
    return [
        json.loads(unescape(m))
        for m in re.findall(r'<div class="gl-race" data-race="([^"]*)"', text)
    ]


@pytest.mark.parametrize("chapter", RACING_CHAPTERS)
def test_chapter_compares_methods_through_races(chapter):
    page = HTML / "chapters" / f"{chapter}.html"
    assert page.exists(), f"{page} was not built"
    assert race_tables(page), (
        f"{chapter} shows no race table (gl.race.race): its comparisons are untuned"
    )


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda p: p.name)
def test_no_race_winner_sits_on_its_grid_edge(page):
    for table in race_tables(page):
        for row in table:
            for name, value in row["params"].items():
                grid = row["grid"][name]
                at_limit = row.get("at_limit", {}).get(name, False)  # e.g. gamma = 0
                if row["ordered"][name] and not at_limit:
                    assert len(grid) >= 3, (
                        f"{page.name}: {row['method']} tuned {name} on {grid} (too few values)"
                    )
                    assert value not in (grid[0], grid[-1]), (
                        f"{page.name}: {row['method']} chose {name} = {value} on the edge of its grid {grid}"
                    )
                assert not row["edges"][name], (
                    f"{page.name}: {row['method']} {name} flagged on an edge"
                )


def test_chapters_are_numbered_in_toc_order():
    """The parallel build (scripts/build_book.py) numbers chapters and sections as _toc.yml orders them."""
    from tests.test_repository import toc_files

    chapters = [entry for entry in toc_files() if entry.startswith("chapters/")]
    for number, entry in enumerate(chapters, start=1):
        text = (HTML / f"{entry}.html").read_text(encoding="utf-8")
        article = text[
            text.find("<article") : text.find("</article>")
        ]  # not the sidebar
        numbers = re.findall(r'<span class="section-number">([0-9.]+)', article)
        assert numbers, f"{entry} has no section numbers"
        assert numbers[0] == f"{number}.", (
            f"{entry} is numbered {numbers[0]}, its place in _toc.yml is {number}"
        )
        assert all(n.startswith(f"{number}.") for n in numbers), (
            f"{entry}: section numbers {numbers[:8]}"
        )
