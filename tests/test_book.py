"""gl.book: the code a chapter shows is the library's own, numbers for {eval} roles, offline players."""

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

import gradlib as gl
from gradlib.book import fmt, scrubber, source
from gradlib.optimizers import Optimizer

OPTIMIZERS = [
    getattr(gl, name)
    for name in gl.optimizers.__all__
    if inspect.isclass(getattr(gl, name))
    and issubclass(getattr(gl, name), Optimizer)
    and getattr(gl, name) is not Optimizer
]


@pytest.mark.parametrize("cls", OPTIMIZERS, ids=lambda c: c.__name__)
def test_the_shown_source_is_the_code_that_runs(cls):
    # Execute the text a chapter shows (docstrings dropped) in the module's namespace: the class
    # it defines must take exactly the library's steps. Deleting or changing a method of the
    # library class changes what is shown, and this test fails.
    namespace = dict(vars(gl.optimizers))
    exec(compile(source(cls), f"<shown {cls.__name__}>", "exec"), namespace)
    shown = namespace[cls.__name__]
    assert "step" in vars(shown) and "init" in vars(shown)
    x, g1, g2 = (
        np.array([1.0, -2.0, 0.5]),
        np.array([0.5, -3.0, 1e-3]),
        np.array([-1.0, 0.2, 2.0]),
    )
    lib, copy = cls(), shown()
    xa, sa = lib.step(x, g1, lib.init(x))
    xb, sb = copy.step(x, g1, copy.init(x))
    xa, sa = lib.step(xa, g2, sa)
    xb, sb = copy.step(xb, g2, sb)
    np.testing.assert_array_equal(xa, xb)
    np.testing.assert_array_equal(lib.lookahead(xa, sa), copy.lookahead(xb, sb))


def test_source_drops_docstrings_but_keeps_code():
    text = source(gl.Adam)
    assert "class Adam" in text and "def step(" in text
    assert '"""' not in text and "Examples" not in text
    assert "m_hat = m / (1 - beta1**t)" in text


def test_source_with_docstrings_is_the_file_text():
    assert source(gl.GD, docstrings=True) == inspect.getsource(gl.GD).rstrip("\n")


def test_source_lines_selects_a_range():
    whole = source(gl.run).splitlines()
    assert source(gl.run, lines=(3, 5)).splitlines() == whole[2:5]
    with pytest.raises(ValueError, match="lines must be a range that contains code"):
        source(gl.run, lines=(10_000, 10_001))


def test_show_source_is_markdown_naming_file_and_line():
    data = gl.book.show_source(gl.GD, gl.run).data
    assert data.count("```python") == 2
    line = inspect.getsourcelines(gl.GD)[1]
    assert f"gradlib/optimizers.py</code>, line {line}" in data
    assert "def run(" in data


@pytest.mark.parametrize("bad", [42, "GD", gl.GD(lr=0.1)])
def test_source_rejects_non_code(bad):
    with pytest.raises(TypeError, match="obj must be a class or a function"):
        source(bad)


@pytest.mark.parametrize(
    "value, spec, text",
    [
        (np.float64(0.8100000000000001), ".2f", "0.81"),
        (np.int64(12345), ",", "12,345"),
        (0.03125, ".1%", "3.1%"),
        ("Adam", "", "Adam"),
        (2.5e-7, ".1e", "2.5e-07"),
        (np.float32(0.5), "", "0.5"),
    ],
)
def test_fmt_prints_the_formatted_text(value, spec, text):
    f = fmt(value, spec)
    assert repr(f) == str(f) == text
    assert not isinstance(f.value, np.generic)  # numpy scalars become Python numbers
    if not isinstance(value, str):
        assert float(f) == pytest.approx(float(value))


def test_fmt_errors():
    with pytest.raises(ValueError, match=r"spec '\.2f' does not apply to 'Adam'"):
        fmt("Adam", ".2f")
    with pytest.raises(TypeError, match="spec must be a format specification string"):
        fmt(1.0, 2)


def draw_run(fig, lr):
    p = gl.functions.quadratic(kappa=10.0)
    ax = fig.subplots()
    gl.plotting.trajectories(gl.run(gl.GD(lr=lr), p, p.start, steps=15), p, ax=ax)


def test_scrubber_embeds_one_frame_per_value_and_swaps_them_offline():
    s = scrubber(draw_run, [0.05, 0.1, 0.18], name="η", spec=".2f", initial=0)
    assert s.labels == ["0.05", "0.10", "0.18"] and len(s.frames) == 3
    assert all(f.startswith(b"\x89PNG") for f in s.frames)
    assert len({f for f in s.frames}) == 3  # the pictures differ
    html = s._repr_html_()
    assert (
        html.count("data:image/png;base64,") == 4
    )  # the three frames plus the first one shown
    assert 'type="range"' in html and 'max="2"' in html and 'aria-label="η"' in html
    assert "<script" in html and "src=" not in re.sub(
        r"<img[^>]*>", "", html
    )  # no external script
    assert "http" not in html
    assert (
        scrubber(draw_run, [0.05, 0.1, 0.18], name="η", spec=".2f", initial=0).html
        == html
    )  # deterministic


def test_scrubber_errors():
    with pytest.raises(ValueError, match="values must be at least two values"):
        scrubber(draw_run, [0.1])
    with pytest.raises(TypeError, match="draw must be callable"):
        scrubber(42, [0.1, 0.2])
    with pytest.raises(ValueError, match="initial must be <= 1"):
        scrubber(draw_run, [0.1, 0.2], initial=2)
    with pytest.raises(
        ValueError, match="the HTML must be at most max_bytes=100 bytes"
    ):
        scrubber(draw_run, [0.1, 0.2], max_bytes=100)


def _animation(frames=3):
    problem = gl.functions.quadratic(kappa=4.0)
    traj = gl.run(gl.GD(lr=0.1), problem, problem.start, steps=10)
    return gl.plotting.race([traj], problem, frames=frames)


def test_animation_html_works_offline_and_has_alt_text():
    html = gl.book.animation_html(_animation(), alt="GD racing")
    assert "font-awesome" not in html and "://" not in html.split("data:image")[0]
    assert '<i class="fa' not in html and "\u25b6" in html
    assert '<img alt="GD racing" id=' in html


def test_animation_html_errors():
    anim = _animation(2)
    assert gl.book.animation_html(
        anim, max_bytes=10**7
    )  # renders it: no "deleted without rendering"
    for kwargs, error, message in [
        ({"alt": " "}, ValueError, "alt must be a non-empty string"),
        ({"default_mode": "bounce"}, ValueError, "default_mode must be one of"),
        ({"colors": 1000}, ValueError, "colors must be <= 256"),
        ({"max_bytes": 10}, ValueError, "max_bytes=10 "),
    ]:
        with pytest.raises(error, match=message):
            gl.book.animation_html(anim, **kwargs)
    with pytest.raises(TypeError, match="anim must be a matplotlib FuncAnimation"):
        gl.book.animation_html("movie")


def _library_objects():
    import importlib

    for module_name in gl.__all__:
        module = getattr(gl, module_name, None)
        if not inspect.ismodule(module):
            continue
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj) or inspect.isfunction(obj)
            ) and obj.__module__ == module.__name__:
                yield f"{module_name}.{name}", obj
    module = importlib.import_module("gradlib.optimizers")
    for name in module.__all__:
        yield f"optimizers.{name}", getattr(module, name)


def test_every_source_a_chapter_can_show_fits_the_code_box():
    # the chapters show gradlib's code (docstrings dropped) in code boxes 88 characters wide
    too_long = []
    for name, obj in _library_objects():
        try:
            text = source(obj)
        except (
            OSError,
            TypeError,
        ):  # NamedTuples and other generated classes have no source
            continue
        too_long += [
            f"{name}: {line.strip()[:60]}"
            for line in text.splitlines()
            if len(line) > 88
        ]
    assert not too_long, "\n".join(too_long)


def test_scrubber_without_a_layout_engine():
    def draw(fig, lr):
        ax = fig.add_axes((0.1, 0.1, 0.85, 0.85))
        ax.plot([0, 1], [0, lr])

    s = scrubber(draw, [0.1, 0.2, 0.3], layout=None)
    assert len(set(s.frames)) == 3
    with pytest.raises(ValueError, match="layout must be one of 'constrained'"):
        scrubber(draw, [0.1, 0.2], layout="tight")


def test_scrubber_background_is_drawn_once_and_frames_match_full_pictures():
    import io

    import matplotlib.image

    def axes(fig):
        ax = fig.add_axes((0.12, 0.15, 0.85, 0.8))
        ax.set(xlim=(0, 1), ylim=(1e-3, 10), yscale="log", xlabel="x", ylabel="y")
        return ax

    def shared(fig):
        ax = axes(fig)
        ax.axhline(1.0, color="0.6")
        return ax

    calls = []

    def counting(fig):
        calls.append(1)
        return shared(fig)

    def draw(fig, lr):
        ax = fig.axes[0]
        assert ax.get_yscale() == "log" and ax.get_ylim() == (1e-3, 10)
        ax.plot([0, 1], [1e-2, lr], color="C0")

    def full(fig, lr):
        shared(fig)
        draw(fig, lr)

    fast = scrubber(draw, [0.1, 1.0, 5.0], background=counting, colors=None)
    slow = scrubber(full, [0.1, 1.0, 5.0], layout=None, colors=None)
    assert len(calls) == 1 and len(set(fast.frames)) == 3
    for a, b in zip(fast.frames, slow.frames, strict=True):
        pa, pb = (matplotlib.image.imread(io.BytesIO(f)) for f in (a, b))
        assert pa.shape == pb.shape
        assert np.mean(np.all(np.isclose(pa, pb, atol=0.02), axis=-1)) > 0.995
    with pytest.raises(TypeError, match=r"background\(fig\) must be the axes"):
        scrubber(draw, [0.1, 0.2], background=lambda fig: None)


def test_show_source_names_the_lines_it_shows():
    shown = gl.book.show_source(gl.run, lines=(40, 42)).data
    first, last = (int(n) for n in re.search(r"lines (\d+) to (\d+)", shown).groups())
    file_lines = (
        Path(gl.run.__code__.co_filename).read_text(encoding="utf-8").splitlines()
    )
    code = shown.split("```python\n")[1].split("\n```")[0].splitlines()
    assert [line.strip() for line in file_lines[first - 1 : last]] == [
        line.strip() for line in code
    ]
