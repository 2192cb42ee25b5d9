"""Import Whoosh without the two modules it loads and never uses here.

``whoosh.compat`` imports ``urllib.request`` (for a download helper; with it come ``http``,
``ssl``, ``email`` and ``socket``) and ``cached_property`` imports ``asyncio`` (for async
getters Whoosh does not have): about 100 ms of a 150 ms Whoosh import, paid by every
``mlnotes search`` run. While Whoosh is first imported, those two names are served by small
stand-ins: ``urlretrieve`` loads the real ``urllib.request`` if it is ever called, and
``cached_property`` is the standard library's ``functools.cached_property`` (the same
behaviour for the plain methods Whoosh decorates). The stand-ins are removed from
``sys.modules`` right after, so any later ``import urllib.request`` or ``import asyncio``
(Textual's, for one) gets the real module.

Import this module before any ``whoosh`` import: ``import mlnotes.whoosh_import``.
"""

from __future__ import annotations

import functools
import sys
import types


def _urlretrieve(*args, **kwargs):
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _import_whoosh() -> None:
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")
        request.urlretrieve = _urlretrieve
        stand_ins["urllib.request"] = request
    if "cached_property" not in sys.modules:
        cached = types.ModuleType("cached_property")
        cached.cached_property = functools.cached_property
        stand_ins["cached_property"] = cached
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        urllib = sys.modules.get("urllib")
        if "urllib.request" in stand_ins and getattr(urllib, "request", None) is stand_ins["urllib.request"]:
            del urllib.request


_import_whoosh()
