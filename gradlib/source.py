"""Helpers for the book's notebooks: show gradlib's own source, and glue computed numbers into the text.

``show_source`` displays the library's code, so the page and the library cannot drift apart.
``glue`` records a value for the ``{glue:text}`` roles of the prose, in the format of
``myst_nb.glue``, without importing Sphinx into every kernel (which costs more than a second per
chapter).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

__all__ = ["source", "show_source", "glue"]

# The MIME prefix under which myst_nb stores a glued value that is not displayed.
GLUE_PREFIX = "application/papermill.record/"


def _docstring_lines(tree: ast.AST) -> set[int]:
    """Line numbers (1-based) of every docstring in ``tree``."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = node.body
            first = body[0] if body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                lines.update(range(first.lineno, first.end_lineno + 1))
    return lines


def source(obj, docstrings: bool = False) -> str:
    """Return the source code of a gradlib class or function.

    Parameters
    ----------
    obj : class or function
        Anything ``inspect.getsource`` accepts.
    docstrings : bool
        Keep the docstrings (``False`` drops them, leaving the code the equations map to).

    Examples
    --------
    >>> from gradlib.optimizers import GD
    >>> print(source(GD).splitlines()[0])
    @dataclass(frozen=True)
    """
    if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismethod(obj)):
        raise TypeError(f"obj must be a class or a function, got {type(obj).__name__}")
    text = textwrap.dedent(inspect.getsource(obj))
    if docstrings:
        return text.rstrip("\n")
    drop = _docstring_lines(ast.parse(text))
    lines = text.splitlines()
    for number in sorted(drop):  # the blank line that followed a docstring goes with it
        if number not in drop or number >= len(lines):
            continue
        if number + 1 not in drop and not lines[number].strip():
            drop = drop | {number + 1}
    kept = [line for number, line in enumerate(text.splitlines(), start=1) if number not in drop]
    return "\n".join(kept).rstrip("\n")


def show_source(*objs, docstrings: bool = False):
    """Display the source of one or more gradlib objects as a highlighted code block.

    Returns an ``IPython.display.Markdown`` object: Jupyter shows it as highlighted code,
    and the book's build renders it as a code block on the page. Each block names the
    file and line it comes from.
    """
    from IPython.display import Markdown

    parts = []
    root = Path(__file__).resolve().parent.parent
    for obj in objs:
        file = Path(inspect.getsourcefile(obj)).resolve()
        line = inspect.getsourcelines(obj)[1]
        where = file.relative_to(root) if file.is_relative_to(root) else file.name
        parts.append(f"```python\n{source(obj, docstrings=docstrings)}\n```\n\n"
                     f"<small>From <code>{where}</code>, line {line}.</small>\n")
    return Markdown("\n".join(parts))


def glue(name: str, value, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's ``{glue:text}`` roles.

    The output is the one ``myst_nb.glue`` writes (a test checks that they agree). Numpy
    scalars are turned into Python numbers first, so that format specifications such as
    ``{glue:text}`name:.3f``` work on them.

    Parameters
    ----------
    name : str
        The key the prose refers to; must be a non-empty string.
    value : object
        The value; its plain-text representation is what the page shows.
    display : bool
        Also show the value in the notebook.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show

    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()
    bundle, metadata = format_display_data(value)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    show({prefix + key: data for key, data in bundle.items()}, raw=True, metadata=metadata)
