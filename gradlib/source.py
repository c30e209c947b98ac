"""Show gradlib's own source in a chapter, so the page and the library cannot drift apart."""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

__all__ = ["source", "show_source"]


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
