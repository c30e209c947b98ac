"""Drop repeated <script> entries from every page.

sphinx-thebe and sphinx-togglebutton each register their inline configuration script twice,
which makes the browser report "Identifier ... has already been declared" on every page.
"""


def _dedupe(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for js in context.get("script_files", []):
        attributes = getattr(js, "attributes", {}) or {}
        filename = str(getattr(js, "filename", js) or "")
        key = (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _dedupe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
