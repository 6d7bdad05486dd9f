"""Declared once (include/salesight/options.hpp): salesight.rfm's keywords,
the CLI's flags and the README's options table all follow the library's
declaration of the RFM options, read from `salesight options rfm --json`.
Any drift (a renamed keyword, another default, a flag the CLI lacks, a README
table not regenerated) fails here."""
import inspect
import json
import os
import subprocess

import pytest

import salesight

CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")
README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="the CLI is not built beside the module")


def declared(calculator):
    out = subprocess.run([CLI, "options", calculator, "--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def as_declared_text(value):
    """A Python default in the declaration's text form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def test_python_keywords_follow_the_declaration():
    params = inspect.signature(salesight.rfm).parameters
    options = declared("rfm")
    assert len(options) >= 10
    for o in options:
        assert o["name"] in params, "salesight.rfm lacks the declared option %r" % o["name"]
        p = params[o["name"]]
        assert p.kind == inspect.Parameter.KEYWORD_ONLY, o["name"]
        assert as_declared_text(p.default) == o["default"], \
            "%s: Python default %r, declared %r" % (o["name"], p.default, o["default"])


def test_cli_flags_follow_the_declaration():
    help_text = subprocess.run([CLI, "rfm", "--help"], check=True, capture_output=True,
                               text=True).stdout
    for o in declared("rfm"):
        assert "--" + o["cli"] in help_text, o["name"]
        if o["type"] == "choice":  # every choice is offered, exactly (the CLI's --segments
            # also takes a rules FILE, which is its own spelling of custom + rules)
            assert o["allowed"].replace("|custom", "").split("|")[0] in help_text


@pytest.mark.parametrize("calculator", ["rfm", "clv"])
def test_readme_table_is_generated(calculator):
    table = subprocess.run([CLI, "options", calculator, "--markdown"], check=True,
                           capture_output=True, text=True).stdout
    text = open(README, encoding="utf-8").read()
    begin = "<!-- options:%s -->\n" % calculator
    start = text.index(begin) + len(begin)
    end = text.index("<!-- /options:%s -->" % calculator)
    assert text[start:end] == table, "README's %s options table drifted: regenerate it with " \
                                     "`salesight options %s --markdown`" % (calculator, calculator)


def test_fixed_keywords_match_the_fixed_dict():
    import pandas as pd
    df = pd.DataFrame({"customer": ["a", "b", "c", "d"] * 3,
                       "order_date": pd.to_datetime(["2024-01-0%d" % (1 + i % 9)
                                                     for i in range(12)]),
                       "amount": [10.0, 20.0, 35.5, 7.25] * 3})
    lists = dict(fixed_recency=[2, 5], fixed_frequency=[1, 2], fixed_monetary=[30, 60])
    a = salesight.rfm(df, scoring="fixed", k=3, **lists)
    b = salesight.rfm(df, scoring="fixed", k=3,
                      fixed={"recency_days": lists["fixed_recency"],
                             "frequency": lists["fixed_frequency"],
                             "monetary": lists["fixed_monetary"]})
    pd.testing.assert_frame_equal(a, b)
