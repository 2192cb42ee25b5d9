"""Import Whoosh without the three modules it loads and never uses here.

``whoosh.compat`` imports ``urllib.request`` (for a download helper; with it come ``http``,
``ssl``, ``email`` and ``socket``) and ``cached_property`` imports ``asyncio`` (for async
getters Whoosh does not have): about 100 ms of a 150 ms Whoosh import, paid by every
``mlnotes search`` run. While Whoosh is first imported, those two names are served by small
stand-ins: ``urlretrieve`` loads the real ``urllib.request`` if it is ever called, and
``cached_property`` is the standard library's ``functools.cached_property`` (the same
behaviour for the plain methods Whoosh decorates). ``whoosh.lang.morph_en`` builds a large
table of English word variations at import (about 9 ms) for the ``Variations`` query, which
mlnotes never runs; its ``variations`` stand-in imports the real module if it is ever
called. The stand-ins are removed from
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


def _variations(word):
    sys.modules.pop("whoosh.lang.morph_en", None)
    from whoosh.lang.morph_en import variations

    return variations(word)


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
    if "whoosh.lang.morph_en" not in sys.modules:
        morph = types.ModuleType("whoosh.lang.morph_en")
        morph.variations = _variations
        stand_ins["whoosh.lang.morph_en"] = morph
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
        import whoosh.query  # noqa: F401  (its terms module is the one that imports morph_en)
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        lang = sys.modules.get("whoosh.lang")
        if "whoosh.lang.morph_en" in stand_ins and getattr(lang, "morph_en", None) is stand_ins["whoosh.lang.morph_en"]:
            del lang.morph_en
        urllib = sys.modules.get("urllib")
        if "urllib.request" in stand_ins and getattr(urllib, "request", None) is stand_ins["urllib.request"]:
            del urllib.request


_import_whoosh()
