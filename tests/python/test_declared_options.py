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
            assert [a for a in o["allowed"].split("|") if a != "custom"][0] in help_text


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


# ------------------------------------------------ every calculator with declared options

CALCULATORS = ("rfm", "funnel", "margin")


def python_default_matches(p, o):
    """None = "the declared default" (a choice's "none" included)."""
    if p.default is None:
        return o["default"] in ("", "none")
    return as_declared_text(p.default) == o["default"]


@pytest.mark.parametrize("calculator", CALCULATORS)
def test_the_module_reads_the_declaration_through_the_c_abi(calculator):
    assert json.loads(salesight._salesight.options_describe(calculator)) == declared(calculator)
    with pytest.raises(salesight.InvalidArgumentError, match="rfm, funnel, margin"):
        salesight._salesight.options_describe("funel")


@pytest.mark.parametrize("calculator", CALCULATORS)
def test_every_declared_option_is_a_keyword_with_its_default(calculator):
    params = inspect.signature(getattr(salesight, calculator)).parameters
    for o in declared(calculator):
        assert o["name"] in params, "salesight.%s lacks the declared option %r" % (
            calculator, o["name"])
        p = params[o["name"]]
        if o["name"] != "by":  # margin's by is also the second positional argument
            assert p.kind == inspect.Parameter.KEYWORD_ONLY, o["name"]
        assert python_default_matches(p, o), "%s.%s: Python default %r, declared %r" % (
            calculator, o["name"], p.default, o["default"])


@pytest.mark.parametrize("calculator", CALCULATORS)
def test_every_declared_option_is_in_the_docstring(calculator):
    doc = getattr(salesight, calculator).__doc__
    for o in declared(calculator):
        line = [x for x in doc.splitlines() if x.strip().startswith(o["name"] + " (")]
        assert line, "%s's docstring lacks %r" % (calculator, o["name"])
        assert o["doc"] in line[0], o["name"]


@pytest.mark.parametrize("calculator", CALCULATORS)
def test_every_declared_option_is_a_cli_flag(calculator):
    help_text = subprocess.run([CLI, calculator, "--help"], check=True, capture_output=True,
                               text=True).stdout
    flags = {line.split()[0] for line in help_text.splitlines() if line.startswith("  --")}
    for o in declared(calculator):
        assert "--" + o["cli"] in flags, "%s --help lacks --%s (%s)" % (calculator, o["cli"],
                                                                         o["name"])


@pytest.mark.parametrize("calculator", CALCULATORS)
def test_readme_block_is_generated(calculator):
    table = subprocess.run([CLI, "options", calculator, "--markdown"], check=True,
                           capture_output=True, text=True).stdout
    text = open(README, encoding="utf-8").read()
    start = text.index("<!-- options:%s -->\n" % calculator) + len(
        "<!-- options:%s -->\n" % calculator)
    end = text.index("<!-- /options:%s -->" % calculator)
    assert text[start:end] == table, "README's %s options table drifted: regenerate it with " \
        "`salesight options %s --markdown`" % (calculator, calculator)
    for o in declared(calculator):
        assert "| `%s` |" % o["name"] in text[start:end]


def test_kwargs_are_checked_against_the_declaration():
    import pandas as pd
    df = salesight.sample(1000)
    with pytest.raises(salesight.InvalidArgumentError, match=r"margin\(top=-1\): must be in \[0, "):
        salesight.margin(df, top=-1, output="ranking")
    with pytest.raises(salesight.InvalidArgumentError,
                       match=r"margin\(abc='cost'\): must be revenue or margin"):
        salesight.margin(df, abc="cost")
    with pytest.raises(salesight.InvalidArgumentError,
                       match=r"margin\(language='fr'\): must be en or zh"):
        salesight.margin(df, language="fr")
    with pytest.raises(salesight.InvalidArgumentError, match=r"margin\(top=2.5\): must be a whole"):
        salesight.margin(df, top=2.5, output="ranking")
    with pytest.raises(salesight.InvalidArgumentError, match=r"margin\(bottom='yes'\): must be True"):
        salesight.margin(df, bottom="yes", output="ranking")
    with pytest.raises(salesight.InvalidArgumentError, match=r"rfm\(k=61\): must be in \[1, 60\]"):
        salesight.rfm(df, k=61)
    with pytest.raises(salesight.InvalidArgumentError, match=r"rfm\(frequency='weeks'\)"):
        salesight.rfm(df, frequency="weeks")
    pipe = salesight.sample(1000, table="pipeline")
    stages = ["lead_date", "quote_date", "won_date"]
    with pytest.raises(salesight.InvalidArgumentError,
                       match=r"funnel\(bottleneck_margin=-0.5\): must be >= 0"):
        salesight.funnel(pipe, stages, id="opportunity", bottleneck_margin=-0.5)
    with pytest.raises(salesight.InvalidArgumentError,
                       match=r"funnel\(mode='weekly'\): must be cohort, activity or snapshot"):
        salesight.funnel(pipe, stages, id="opportunity", mode="weekly")
    with pytest.raises(salesight.InvalidArgumentError, match=r"funnel\(start='soon'\): is not a date"):
        salesight.funnel(pipe, stages, id="opportunity", start="soon")
    # '-' and '_' are one character in a choice, as on the CLI
    a = salesight.funnel(pipe, stages, id="opportunity", period="month", compare="last-year")
    b = salesight.funnel(pipe, stages, id="opportunity", period="month", compare="last_year")
    pd.testing.assert_frame_equal(a, b)


def test_new_declared_keywords_reach_the_library():
    df = salesight.sample(2000)
    plain = salesight.margin(df, by="region", cost=None, unit_cost="unit_cost",
                             quantity="quantity")
    shares = salesight.margin(df, by="region", unit_cost="unit_cost", quantity="quantity",
                              margin_share="plain")
    total_margin = plain["margin"].sum()
    assert abs(shares["margin_share"].sum() - 1.0) < 1e-9
    assert list(plain["margin"]) == list(shares["margin"])
    if total_margin < 0:  # sign of group: the shares sum to -1
        assert abs(plain["margin_share"].sum() + 1.0) < 1e-9
    with pytest.warns(salesight.SalesightDataWarning, match="have no cost"):
        no_cost = salesight.margin(df, by="region")
    with pytest.raises(salesight.InvalidArgumentError):
        salesight.margin(df, by="region", unknown_cost="error")
    assert no_cost["revenue"].sum() == pytest.approx(df["amount"].sum())
