"""Time the book: each notebook's execution, the cold build, and the weight of each built page.

Run from the repository root with the project's environment:

    .venv/bin/python benchmarks/bench_book.py            # notebooks + cold build + page weights
    .venv/bin/python benchmarks/bench_book.py --no-build # notebooks only

Budgets (see the README): one chapter <= 10 s, cold build <= 120 s, one page <= 2.5 MB.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def time_notebooks() -> list[tuple[str, float]]:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        start = time.perf_counter()
        client.execute()
        rows.append((path.name, time.perf_counter() - start))
    return rows


def cold_build() -> float:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    start = time.perf_counter()
    jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
    command = [jupyter_book, "build", ".", "--all", "-W", "-n", "--keep-going"]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def page_weight(page: Path, html_root: Path) -> int:
    """Bytes of a page plus the images and local media it references (shared theme files excluded)."""
    text = page.read_text(encoding="utf-8")
    total = len(text.encode("utf-8"))
    for ref in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
        if "://" in ref or ref.startswith("data:"):
            continue
        target = (page.parent / ref).resolve()
        if target.is_file() and html_root in target.parents:
            total += target.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-build", action="store_true", help="skip the cold build and page weights"
    )
    args = parser.parse_args()

    rows = time_notebooks()
    print(f"{'notebook':45s} {'execution (s)':>14s}")
    for name, seconds in rows:
        flag = "" if seconds <= 10 else "  OVER BUDGET"
        print(f"{name:45s} {seconds:14.2f}{flag}")
    print(f"{'all notebooks':45s} {sum(s for _, s in rows):14.2f}")
    if args.no_build:
        return
    seconds = cold_build()
    print(
        f"\ncold build (jupyter-book build . --all -W -n --keep-going): {seconds:.1f} s"
    )
    html_root = (ROOT / "_build" / "html").resolve()
    print(f"\n{'page':45s} {'weight (MB)':>12s}")
    for page in sorted((html_root / "chapters").glob("*.html")):
        mb = page_weight(page, html_root) / 1e6
        flag = "" if mb <= 2.5 else "  OVER BUDGET"
        print(f"{page.name:45s} {mb:12.2f}{flag}")


if __name__ == "__main__":
    main()
