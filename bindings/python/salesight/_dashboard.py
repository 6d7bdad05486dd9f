"""salesight.dashboard: the sales dashboard of a :class:`salesight.Dataset`.

The same document as ``salesight dashboard`` and the C ABI's
``salesight_dashboard_render``: KPI cards and seven panels as JSON (schema
version 1, money as exact integers in minor units) or as one offline HTML
page (Apache ECharts inlined). Nothing is computed here.
"""

import datetime
import html as _html
import json

import numpy as np

from . import _salesight
from ._errors import InvalidArgumentError

_LANGS = {"en": 0, "zh": 1}
_JSON, _HTML = 0, 1


def _day(value, name):
    # A date (str "YYYY-MM-DD", datetime.date, numpy / pandas datetime) as days
    # since 1970-01-01; None = the library's default.
    if value is None:
        return _salesight.NO_DATE
    try:
        if isinstance(value, datetime.datetime):
            value = value.date()
        return int(np.datetime64(value, "D").astype(np.int64))
    except (TypeError, ValueError) as e:
        raise InvalidArgumentError("dashboard(%s=%r): not a date (YYYY-MM-DD)" % (name, value)) from e


class Dashboard:
    """The dashboard of one dataset and options: ``.data`` (the JSON as a
    dict), ``.json`` (its text), ``.html`` (the page), ``.save(path)`` (a
    ``.json`` path writes the JSON, anything else the page) and, in Jupyter,
    the page itself (``_repr_html_``, in a sandboxed iframe)."""

    def __init__(self, dataset, args):
        self._handle = dataset._handle
        self._dataset = dataset  # keeps the tables alive while the object lives
        self._args = args
        self._json = None
        self._html = None

    def _render(self, fmt):
        a = self._args
        return _salesight.dashboard_render(self._handle, a["start"], a["end"], a["lang"], a["top_n"],
                                           a["num_threads"], a["currency"], a["title"], fmt)

    @property
    def json(self):
        if self._json is None:
            self._json = self._render(_JSON)
        return self._json

    @property
    def data(self):
        return json.loads(self.json)

    @property
    def html(self):
        if self._html is None:
            self._html = self._render(_HTML)
        return self._html

    def save(self, path):
        text = self.json if str(path).endswith(".json") else self.html
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def _repr_html_(self):
        return ('<iframe srcdoc="%s" style="width:100%%;height:900px;border:0" '
                'sandbox="allow-scripts allow-downloads"></iframe>' % _html.escape(self.html, quote=True))


def dashboard(dataset, *, start=None, end=None, lang="en", currency="\u00a5", title=None, top_n=10,
              num_threads=1):
    """The sales dashboard of ``dataset`` (a :class:`salesight.Dataset` with
    order lines) over [start, end] (inclusive; end defaults to the last order
    date, start to January 1 of end's year): ``salesight.dashboard(ds).html``,
    ``.data``, ``.save("sales.html")``."""
    if lang not in _LANGS:
        raise InvalidArgumentError("dashboard(lang=%r): must be 'en' or 'zh'" % (lang,))
    args = {"start": _day(start, "start"), "end": _day(end, "end"), "lang": _LANGS[lang],
            "top_n": int(top_n), "num_threads": int(num_threads), "currency": currency,
            "title": title}
    d = Dashboard(dataset, args)
    d.json  # renders once now: bad options and data fail here, not on first use
    return d
