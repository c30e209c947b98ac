"""Publishing helpers for the book's notebooks; the algorithm modules know nothing of them.

- :func:`show_source` displays gradlib's own code, so the page and the library cannot drift.
- :func:`fmt` formats a computed number for the prose: a Markdown cell shows it with the
  MyST role ``{eval}`name```, both on the website (MyST-NB's inline execution) and in
  JupyterLab (jupyterlab-myst), from the same kernel variable.
- :func:`animation_html` turns a matplotlib animation into an offline player, and
  :func:`scrubber` precomputes one picture per value of a hyperparameter behind a slider
  that works on a static page.

Only this module imports IPython or writes HTML.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import inspect
import io
import json
import re
import textwrap
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import _validate as check

__all__ = [
    "source",
    "show_source",
    "Formatted",
    "fmt",
    "animation_html",
    "scrubber",
    "Scrubber",
]


# --------------------------------------------------------------------------- source


def _docstring_lines(tree: ast.AST) -> set[int]:
    """Line numbers (1-based) of every docstring in ``tree``."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)
        ):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                lines.update(range(first.lineno, first.end_lineno + 1))
    return lines


def _code(obj):
    if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismethod(obj)):
        raise check.fail(TypeError, "obj", "a class or a function", obj)
    return obj


def _numbered_source(obj, docstrings: bool, lines) -> list[tuple[int, str]]:
    """The lines of ``obj``'s source that :func:`source` shows, with their line numbers in the file."""
    raw, start = inspect.getsourcelines(_code(obj))
    text = textwrap.dedent("".join(raw))
    numbered = list(enumerate(text.splitlines(), start=1))
    if not docstrings:
        drop = _docstring_lines(ast.parse(text))
        for number in sorted(drop):  # the blank line after a docstring goes with it
            following = number + 1
            if following <= len(numbered) and following not in drop:
                if not numbered[number][1].strip():
                    drop = drop | {following}
        numbered = [(n, line) for n, line in numbered if n not in drop]
    while numbered and not numbered[-1][1].strip():
        numbered.pop()
    if lines is not None:
        first = check.integer(lines[0], "lines[0]", minimum=1)
        last = check.integer(lines[1], "lines[1]", minimum=first)
        numbered = numbered[first - 1 : last]
    if not "".join(line for _, line in numbered).strip():
        raise check.fail(ValueError, "lines", "a range that contains code", lines)
    return [(start + n - 1, line) for n, line in numbered]


def source(obj, docstrings: bool = False, lines: tuple[int, int] | None = None) -> str:
    """Return the source code of a gradlib class or function.

    Parameters
    ----------
    obj : class or function
        Anything ``inspect.getsource`` accepts.
    docstrings : bool
        Keep the docstrings (``False`` drops them, leaving the code the equations map to).
    lines : (int, int), optional
        Keep only the lines from ``lines[0]`` to ``lines[1]`` (1-based, inclusive) of the
        result, to show a few lines of a long function.

    Examples
    --------
    >>> from gradlib.optimizers import GD
    >>> print(source(GD).splitlines()[0])
    @dataclass(frozen=True)
    """
    return "\n".join(line for _, line in _numbered_source(obj, docstrings, lines))


def show_source(*objs, docstrings: bool = False, lines: tuple[int, int] | None = None):
    """Display the source of one or more gradlib objects as a highlighted code block.

    Returns an ``IPython.display.Markdown`` object: Jupyter shows it as highlighted code,
    and the book's build renders it as a code block on the page. Each block names the
    file and the lines it comes from. ``lines`` applies to every object (see :func:`source`).
    """
    from IPython.display import Markdown

    if not objs:
        raise ValueError("show_source needs at least one class or function")
    parts = []
    root = Path(__file__).resolve().parent.parent
    for obj in objs:
        numbered = _numbered_source(obj, docstrings, lines)
        text = "\n".join(line for _, line in numbered)
        file = Path(inspect.getsourcefile(obj)).resolve()
        where = file.relative_to(root) if file.is_relative_to(root) else file.name
        first, last = numbered[0][0], numbered[-1][0]
        span = f"line {first}" if lines is None else f"lines {first} to {last}"
        parts.append(
            f"```python\n{text}\n```\n\n<small>From <code>{where}</code>, {span}.</small>\n"
        )
    return Markdown("\n".join(parts))


# ------------------------------------------------------------- numbers in the prose


class Formatted:
    """A computed value together with the format the prose shows it in.

    Its ``repr`` is the formatted text, so that an ``{eval}`` role (which shows the
    ``text/plain`` representation of a kernel variable) prints ``0.81`` rather than
    ``np.float64(0.8100000000000001)``. The value itself stays available as ``.value``.
    """

    def __init__(self, value, spec: str = ""):
        if hasattr(value, "item") and getattr(value, "shape", None) == ():
            value = value.item()  # numpy scalar -> Python number
        self.value = value
        self.spec = spec
        self.text = format(value, spec)

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)


def fmt(value, spec: str = "") -> Formatted:
    """Format ``value`` for an ``{eval}`` role in the prose.

    Parameters
    ----------
    value : number, numpy scalar or str
        The computed value.
    spec : str
        A Python format specification (``".2f"``, ``".1e"``, ``","``, ``".0%"``...).

    Examples
    --------
    >>> import numpy as np
    >>> fmt(np.float64(0.8100000000000001), ".2f")
    0.81
    >>> fmt(12345, ","), fmt("Adam")
    (12,345, Adam)
    """
    if not isinstance(spec, str):
        raise check.fail(TypeError, "spec", "a format specification string", spec)
    try:
        return Formatted(value, spec)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"spec {spec!r} does not apply to {check.show(value)}: {error}"
        ) from None


# --------------------------------------------------------------------- HTML players

_FRAME = re.compile(r'data:image/png;base64,([^"]*)"')


def _quantized(png: bytes, colors: int | None) -> bytes:
    """Re-encode a PNG with an adaptive palette of ``colors`` colours (``None``: unchanged)."""
    if colors is None:
        return png
    from PIL import Image  # a dependency of matplotlib

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors).save(
        out, format="png", optimize=True
    )
    return out.getvalue()


def _palette_png(match: re.Match, colors: int) -> str:
    data = base64.b64decode(match.group(1).replace("\\\n", ""))
    return (
        "data:image/png;base64,"
        + base64.b64encode(_quantized(data, colors)).decode("ascii")
        + '"'
    )


def _colors(colors) -> int | None:
    return (
        None
        if colors is None
        else check.integer(colors, "colors", minimum=2, maximum=256)
    )


def _within(html: str, max_bytes) -> str:
    if max_bytes is not None:
        max_bytes = check.integer(max_bytes, "max_bytes", minimum=1)
        size = len(html.encode())
        if size > max_bytes:
            raise ValueError(
                f"the HTML must be at most max_bytes={max_bytes} bytes, got {size}"
            )
    return html


# matplotlib's player draws its buttons with Font Awesome 4 from a CDN; the book must work offline,
# so the stylesheet is dropped and each icon becomes text that every font can show: the two
# triangles of Unicode's Geometric Shapes block (present in Latin and CJK fonts alike) and ASCII.
_FONT_AWESOME = re.compile(
    r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">\s*'
)
_ICONS = {
    "fa fa-fast-backward": "|\u25c0\u25c0",
    "fa fa-step-backward": "\u25c0|",
    "fa fa-play fa-flip-horizontal": "\u25c0",
    "fa fa-pause": "||",
    "fa fa-play": "\u25b6",
    "fa fa-step-forward": "|\u25b6",
    "fa fa-fast-forward": "\u25b6\u25b6|",
    "fa fa-minus": "-",
    "fa fa-plus": "+",
}
_ICON = re.compile(r'<i class="(fa [^"]+)"></i>')


def animation_html(
    anim: FuncAnimation,
    *,
    default_mode: str = "once",
    colors: int | None = 64,
    max_bytes: int | None = None,
    alt: str = "animation",
) -> str:
    """HTML (JavaScript player with the frames embedded) for a page without a kernel.

    Parameters
    ----------
    anim : FuncAnimation
        For instance from :func:`gradlib.plotting.race`.
    default_mode : {"once", "loop", "reflect"}
        What the player does at the end.
    colors : int or None
        Re-encode every frame as a PNG with an adaptive palette of this many colours
        (2 to 256), which makes line drawings about three times smaller; ``None`` keeps
        matplotlib's full-colour frames.
    max_bytes : int, optional
        Raise ``ValueError`` when the HTML is larger, to keep pages light.
    alt : str
        Alternative text of the frame image, read by screen readers.

    Returns
    -------
    str
        Self-contained HTML; show it with ``IPython.display.HTML``.

    Examples
    --------
    >>> import gradlib as gl
    >>> p = gl.functions.quadratic(kappa=10.0)
    >>> anim = gl.plotting.race([gl.run(gl.GD(lr=0.15), p, p.start, steps=40)], p, frames=5)
    >>> animation_html(anim).count("data:image/png") >= 5
    True
    """
    if not isinstance(anim, FuncAnimation):
        raise check.fail(TypeError, "anim", "a matplotlib FuncAnimation", anim)
    check.choice(default_mode, "default_mode", ("once", "loop", "reflect"))
    colors = _colors(colors)
    alt = check.string(alt, "alt")
    html = anim.to_jshtml(embed_frames=True, default_mode=default_mode)
    html = _FONT_AWESOME.sub("", html)
    html = _ICON.sub(lambda m: _ICONS.get(m.group(1), "?"), html)
    html = html.replace("<img id=", f'<img alt="{escape(alt)}" id=', 1)
    if colors is not None:
        html = _FRAME.sub(lambda m: _palette_png(m, colors), html)
    return _within(html, max_bytes)


class Scrubber:
    """Pictures precomputed for several values of a hyperparameter, behind a range slider.

    Made by :func:`scrubber`. It displays itself as self-contained HTML (the frames are
    embedded PNG images and a few lines of inline JavaScript swap them), so it works on a
    static page with no kernel and no external script.

    Attributes
    ----------
    name : str
        The hyperparameter's label.
    labels : list of str
        The formatted values, one per frame.
    frames : list of bytes
        The PNG images.
    html : str
        The HTML the page shows.
    """

    def __init__(
        self, name: str, labels: list[str], frames: list[bytes], initial: int, alt: str
    ):
        self.name, self.labels, self.frames, self.initial = (
            name,
            labels,
            frames,
            initial,
        )
        urls = [
            "data:image/png;base64," + base64.b64encode(f).decode("ascii")
            for f in frames
        ]
        uid = "gl-scrub-" + hashlib.sha1("".join(urls).encode()).hexdigest()[:10]
        self.html = f"""<div class="gl-scrubber" id="{uid}">
<label style="display:block;font-size:0.9em">{escape(name)} = <output>{escape(labels[initial])}</output>
<input type="range" min="0" max="{len(frames) - 1}" step="1" value="{initial}"
 aria-label="{escape(name)}" style="width:60%;vertical-align:middle;margin-left:0.6em"></label>
<img alt="{escape(alt)}" src="{urls[initial]}" style="max-width:100%">
<script>(function () {{
  var root = document.getElementById("{uid}");
  var frames = {json.dumps(urls)};
  var labels = {json.dumps(labels)};
  var input = root.querySelector("input"), img = root.querySelector("img");
  var out = root.querySelector("output");
  input.addEventListener("input", function () {{
    img.src = frames[input.value]; out.textContent = labels[input.value];
  }});
}})();</script>
</div>"""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Scrubber({self.name!r}, {len(self.frames)} frames: {', '.join(self.labels)})"


def _background(background: Callable, figsize, dpi: int):
    """Draw the shared part of a scrubber's frames once: its pixels and its axes."""
    background = check.function(background, "background")
    fig = Figure(figsize=figsize, dpi=dpi)
    axes = background(fig)
    axes = list(axes) if isinstance(axes, list | tuple) else [axes]
    if not axes or not all(isinstance(ax, Axes) and ax.figure is fig for ax in axes):
        raise check.fail(
            TypeError,
            "background(fig)",
            "the axes (one or a list) it drew on fig",
            axes,
        )
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy(), axes


def _overlay(fig: Figure, pixels: np.ndarray, axes: list) -> None:
    """The background's pixels, and a transparent copy of each of its axes over them."""
    fig.figimage(pixels, zorder=-1)
    for ax in axes:
        over = fig.add_axes(ax.get_position())
        over.set_xscale(ax.get_xscale())
        over.set_yscale(ax.get_yscale())
        over.set_xlim(ax.get_xlim())
        over.set_ylim(ax.get_ylim())
        over.set_axis_off()  # the background shows the frame, ticks and labels


def scrubber(
    draw: Callable,
    values: Sequence,
    *,
    name: str = "lr",
    spec: str = ".3g",
    initial: int | None = None,
    figsize=(6.4, 3.0),
    dpi: int = 72,
    colors: int | None = 64,
    alt: str | None = None,
    max_bytes: int | None = 600_000,
    layout: str | None = "constrained",
    background: Callable | None = None,
) -> Scrubber:
    """A slider over precomputed pictures: the explorer of a chapter on a page without a kernel.

    Parameters
    ----------
    draw : callable
        ``draw(fig, value)`` draws the picture for one value into an empty matplotlib
        ``Figure`` (add axes with ``fig.subplots(...)``).
    values : sequence
        The hyperparameter's values, one frame each, in slider order (at least 2).
    name : str
        The hyperparameter's label shown next to the slider (for example ``"η"``).
    spec : str
        Format specification of the values in the label.
    initial : int, optional
        Index of the frame shown first (the middle one by default).
    figsize, dpi
        Size of every frame; the frames are embedded in the page, so keep them small.
    colors : int or None
        Palette size of every PNG frame (see :func:`animation_html`).
    alt : str, optional
        Alternative text of the image (default: ``"<name> explorer"``).
    layout : {"constrained", None}
        matplotlib's layout engine for every frame; ``None`` leaves the axes where ``draw``
        puts them (faster: the constrained layout takes about half of a frame's time).
    max_bytes : int or None
        Raise ``ValueError`` when the HTML is larger (600 kB by default).
    background : callable, optional
        ``background(fig)`` draws what every frame shares (axes, ticks, labels, contours,
        legends, reference lines) into an empty ``Figure`` and returns the axes (one or a
        list) on which the frames draw. It is drawn once, as pixels; each frame then gets
        those pixels under transparent axes at the same places, with the same limits and
        scales and no decoration, and ``draw(fig, value)`` finds them in ``fig.axes`` and
        draws only what changes (their limits are restored afterwards, so that plotting
        helpers that rescale cannot move a layer off its background). Frames are several
        times cheaper where the shared part is costly (contours, log axes). ``layout`` is
        not used: the background places its axes itself.

    Returns
    -------
    Scrubber
        Display it (last line of a cell).

    Examples
    --------
    >>> import gradlib as gl
    >>> p = gl.functions.quadratic(kappa=10.0)
    >>> def draw(fig, lr):
    ...     ax = fig.subplots()
    ...     gl.plotting.trajectories(gl.run(gl.GD(lr=lr), p, p.start, steps=20), p, ax=ax)
    >>> s = scrubber(draw, [0.05, 0.1, 0.18], name="lr")
    >>> s.labels, s.html.count("data:image/png")
    (['0.05', '0.1', '0.18'], 4)
    """
    draw = check.function(draw, "draw")
    values = list(values)
    if len(values) < 2:
        raise check.fail(ValueError, "values", "at least two values", values)
    name = check.string(name, "name")
    labels = [format(v.item() if hasattr(v, "item") else v, spec) for v in values]
    initial = (
        len(values) // 2
        if initial is None
        else check.integer(initial, "initial", minimum=0, maximum=len(values) - 1)
    )
    colors = _colors(colors)
    if layout is not None:
        check.choice(layout, "layout", ("constrained",))
    dpi = check.integer(dpi, "dpi", minimum=10)
    shared = None if background is None else _background(background, figsize, dpi)
    frames = []
    for value in values:
        fig = Figure(figsize=figsize, dpi=dpi, layout=None if shared else layout)
        if shared:
            _overlay(fig, *shared)
        draw(fig, value)
        if shared:  # whatever draw did to the limits, the layers stay aligned
            for over, ax in zip(fig.axes, shared[1], strict=False):
                over.set(xlim=ax.get_xlim(), ylim=ax.get_ylim())
        buffer = io.BytesIO()
        FigureCanvasAgg(fig).print_png(buffer)
        frames.append(_quantized(buffer.getvalue(), colors))
    result = Scrubber(name, labels, frames, initial, alt or f"{name} explorer")
    _within(result.html, max_bytes)
    return result
