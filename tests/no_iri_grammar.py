"""A pytest plugin for the notebook stage, loaded before nbval (`-p tests.no_iri_grammar`).

nbval reads notebooks with nbformat, whose validator imports jsonschema, which imports
rfc3987_syntax when it is installed, for the "iri" string formats; that import compiles a grammar
for about 2 s in every test process. No notebook schema of nbformat uses a string format, so, as
the build does (scripts/build_book.py), the import is declined and jsonschema skips those formats.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
