"""Look pybtex's plugins up once per build, not once per citation.

``pybtex.plugin.find_plugin`` looks a plugin up among the installed packages' entry points on
every call (tens of milliseconds: importlib.metadata reads every package's metadata), and
sphinxcontrib-bibtex calls it for every citation it resolves. Citations are resolved while the
pages are written, by the main process, one page after another: about 3.7 s of a build of this
book went there. The answer depends only on the (group, name) asked and on the plugins
registered, so it is kept per argument and forgotten whenever a plugin is registered.
"""

import functools

import pybtex.plugin


def _memoised(find_plugin):
    @functools.cache
    def by_name(plugin_group, name, filename):
        return find_plugin(plugin_group, name, filename)

    @functools.wraps(find_plugin)
    def wrapped(plugin_group, name=None, filename=None):
        # a plugin class is returned as is
        if name is not None and not isinstance(name, str):
            return find_plugin(plugin_group, name, filename)
        return by_name(plugin_group, name, filename)

    wrapped.cache_clear = by_name.cache_clear
    return wrapped


def _forgetting(register_plugin, cache_clear):
    @functools.wraps(register_plugin)
    def wrapped(*args, **kwargs):
        cache_clear()
        return register_plugin(*args, **kwargs)

    return wrapped


def setup(app):
    if not hasattr(pybtex.plugin.find_plugin, "cache_clear"):
        pybtex.plugin.find_plugin = _memoised(pybtex.plugin.find_plugin)
        pybtex.plugin.register_plugin = _forgetting(
            pybtex.plugin.register_plugin, pybtex.plugin.find_plugin.cache_clear
        )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
