"""Time the book against its budgets: the chapters, the cold build, `make test`, page weights.

Run from the repository root with the project's environment, on a quiet machine:

    .venv/bin/python benchmarks/bench_book.py              # chapters + cold build + pages
    .venv/bin/python benchmarks/bench_book.py --test       # ... and the whole `make test`
    .venv/bin/python benchmarks/bench_book.py --no-build   # chapters only

It prints a table with one row per budget (README, "Budgets"):

- each chapter's execution, wall time and the kernel's CPU time (<= 10 s), and their sum;
- the cold build, exactly as `make book` runs it (<= 75 s, and within 20 s of half the sum of
  the chapters' times: the floor that two cores allow);
- `make test` after the install (<= 4 min), with --test;
- the heaviest chapter page with its images and players (<= 2.5 MB), and the total weight of
  the scrubbable players (the static stand-ins of the explorers).

A virtual machine's two CPUs may share their cores with other machines' work, which can slow
one run by a quarter and not the next: compare several runs. As a hint, the benchmark times two
copies of a Python loop against one, before the chapters and at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET = {"chapter": 10.0, "build": 75.0, "floor": 20.0, "test": 240.0, "page": 2.5}


def time_notebooks() -> list[tuple[str, float, float]]:
    """(name, wall seconds, kernel CPU seconds) of every chapter, executed one after another:
    from the kernel's start to its stop, with the kernel started and stopped as the build does
    (_ext/kernels.py) and one BLAS thread, as in the build."""
    import nbformat
    import psutil
    from nbclient import NotebookClient

    sys.path.insert(0, str(ROOT / "_ext"))
    from kernels import prepared

    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")  # the kernels inherit it
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
        with prepared(client).setup_kernel():
            kernel = psutil.Process(client.km.provisioner.process.pid)
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            cpu = sum(kernel.cpu_times()[:4])  # user, system and their children's
        rows.append((path.name, time.perf_counter() - start, cpu))
    return rows


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold_build() -> float:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    return timed(["make", "--no-print-directory", "book"])


def page_weight(page: Path, html_root: Path) -> tuple[int, int]:
    """Bytes of a page with the images it references (shared theme files excluded), and the
    bytes of its scrubbable players (inline in the page)."""
    text = page.read_text(encoding="utf-8")
    total = len(text.encode("utf-8"))
    for ref in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
        if "://" in ref or ref.startswith("data:"):
            continue
        target = (page.parent / ref).resolve()
        if target.is_file() and html_root in target.parents:
            total += target.stat().st_size
    players = sum(
        len(m.group(0).encode("utf-8"))
        for m in re.finditer(
            r'<div class="gl-scrubber.*?</script>\s*</div>', text, flags=re.DOTALL
        )
    )
    return total, players


_LOOP = (
    "import time; t = time.perf_counter(); sum(i * i for i in range(3_000_000)); "
    "print(time.perf_counter() - t)"
)


def two_at_once() -> float:
    """How much slower a pure-Python loop runs when two run at once than when one runs alone
    (1.0 when two cores are two cores; the build runs two notebooks at once)."""

    def loop_times(n: int) -> list[float]:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _LOOP], stdout=subprocess.PIPE, text=True
            )
            for _ in range(n)
        ]
        return [float(p.communicate()[0]) for p in procs]

    alone = min(min(loop_times(1)) for _ in range(3))
    paired = min(max(loop_times(2)) for _ in range(3))
    return paired / alone


def row(what: str, value: str, budget: str, ok: bool) -> None:
    print(f"{what:44s} {value:>12s} {budget:>16s}  {'ok' if ok else 'OVER BUDGET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-build", action="store_true", help="skip the cold build and page weights"
    )
    parser.add_argument("--test", action="store_true", help="also time `make test`")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")

    before = two_at_once()
    rows = time_notebooks()
    print(f"{'chapter':44s} {'wall (s)':>12s} {'CPU (s)':>16s}")
    for name, wall, cpu in rows:
        flag = "" if wall <= BUDGET["chapter"] else "  OVER BUDGET"
        print(f"{name:44s} {wall:12.1f} {cpu:16.1f}{flag}")
    total = sum(wall for _, wall, _ in rows)
    print(
        f"{'sum of the chapters':44s} {total:12.1f} {sum(c for *_, c in rows):16.1f}\n"
    )
    print(f"{'budget':44s} {'measured':>12s} {'limit':>16s}")
    slowest = max(rows, key=lambda r: r[1])
    row(
        f"slowest chapter ({slowest[0][:2]})",
        f"{slowest[1]:.1f} s",
        f"<= {BUDGET['chapter']:.0f} s",
        slowest[1] <= BUDGET["chapter"],
    )
    if not args.no_build:
        seconds = cold_build()
        row("cold build (make book)", f"{seconds:.1f} s", "<= 75 s", seconds <= 75)
        over = seconds - total / 2
        row(
            "  above half the chapters' sum",
            f"{over:.1f} s",
            "<= 20 s",
            over <= BUDGET["floor"],
        )
        html_root = (ROOT / "_build" / "html").resolve()
        weights = {
            page.name: page_weight(page, html_root)
            for page in sorted((html_root / "chapters").glob("*.html"))
        }
        heaviest = max(weights, key=lambda k: weights[k][0])
        mb = weights[heaviest][0] / 1e6
        row(f"heaviest page ({heaviest[:2]})", f"{mb:.2f} MB", "<= 2.5 MB", mb <= 2.5)
        players = sum(p for _, p in weights.values()) / 1e6
        print(f"{'  all scrubbable players together':44s} {players:9.2f} MB")
    if args.test:
        seconds = timed(["make", "--no-print-directory", "test"])
        row("make test", f"{seconds:.0f} s", "<= 240 s", seconds <= BUDGET["test"])
    after = two_at_once()
    print(
        f"\ntwo processes at once, each slower by {before:.2f}x before the chapters and "
        f"{after:.2f}x at the end\n(a Python loop; the half-sum floor assumes 1.00x)"
    )


if __name__ == "__main__":
    main()
