"""Evaluate a page's ``{eval}`` roles in one request per stretch of prose, not one per role.

MyST-NB's inline execution renders a notebook from top to bottom, executing each code cell when
it reaches it and evaluating each ``{eval}`name``` role by sending ``name`` to the kernel as a
cell of its own: a round trip through the kernel's whole execution machinery (tens of
milliseconds) per role. The chapters have 40 to 140 roles each, so this was several seconds of a
chapter's build time. The roles between two code cells all see the same kernel state, so the
first of them now asks the kernel for every name used in the Markdown cells up to the next code
cell, in one request; each value comes back formatted by the kernel's own display formatter, the
same data the kernel sends for ``name`` executed alone. The others are answered from that batch.
A name the batch does not have (undefined, or an error while formatting) is evaluated alone, as
MyST-NB does, so that its error is reported exactly as before.
"""

import ast
import json
import re

from myst_nb.core.execute.inline import NotebookClientInline
from nbformat import NotebookNode

_ROLE = re.compile(r"\{eval\}`([^`]+)`")

# Run in the kernel: the display data of each name, as JSON; the user's namespace is untouched.
_BATCH = """
import json as _json
_ip = get_ipython()
_out = {}
for _name in NAMES:
    try:
        _value = eval(_name, _ip.user_ns)
        _out[_name] = None if _value is None else list(_ip.display_formatter.format(_value))
    except Exception:
        pass
RESULT = _json.dumps(_out)
"""


def _names_ahead(client, start):
    """The names of the {eval} roles in the Markdown cells from `start` to the next code cell."""
    names = []
    for cell in client.notebook.get("cells", [])[start:]:
        if cell.get("cell_type") == "code":
            break
        if cell.get("cell_type") == "markdown":
            names += [
                n for n in _ROLE.findall(cell.get("source", "")) if n not in names
            ]
    return names


def _evaluate_batch(client, names):
    valid = [n for n in names if re.match(client.nb_config.eval_name_regex, n)]
    if not valid:
        return {}
    scope = f"{{'get_ipython': get_ipython, 'NAMES': {valid!r}}}"
    code = f"(lambda g: (exec({_BATCH!r}, g), g['RESULT'])[1])({scope})"
    outputs = client._client.eval_expression(code)
    for output in outputs:
        if output.get("output_type") == "execute_result":
            text = output.get("data", {}).get("text/plain")
            if text is not None:
                return json.loads(ast.literal_eval(text))
    return {}


def _batched(eval_variable):
    def wrapped(self, name):
        batch = getattr(self, "_eval_batch", None)
        if batch is None or batch[0] != self._last_cell_executed:
            names = _names_ahead(self, self._last_cell_executed + 1)
            batch = (self._last_cell_executed, _evaluate_batch(self, names))
            self._eval_batch = batch
        values = batch[1]
        if name not in values:
            return eval_variable(self, name)
        if values[name] is None:
            return []
        data, metadata = values[name]
        return [
            NotebookNode(
                output_type="execute_result",
                data=NotebookNode(data),
                metadata=NotebookNode(metadata),
                execution_count=None,
            )
        ]

    return wrapped


def setup(app):
    if not hasattr(NotebookClientInline.eval_variable, "__wrapped_eval__"):
        wrapped = _batched(NotebookClientInline.eval_variable)
        wrapped.__wrapped_eval__ = True
        NotebookClientInline.eval_variable = wrapped
    return {"parallel_read_safe": True, "parallel_write_safe": True}
