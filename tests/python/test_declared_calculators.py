"""Every declared calculator (include/salesight/calculator.hpp), whatever it
is, reaches every surface from its one declaration: the C ABI's JSON
(salesight.calculators()) equals the CLI's `salesight options NAME --json`,
the CLI command offers each option as a flag, the Python function exists and
documents each option, and the README's table is the generated one. A new
calculator is covered here without a line of test."""
import json
import os
import subprocess

import pytest

import salesight

CLI = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(salesight.__file__))),
                   "bin", "salesight")
README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="the CLI is not built beside the module")

NAMES = sorted(salesight.calculators())


def cli(*args):
    return subprocess.run([CLI, *args], check=True, capture_output=True, text=True).stdout


def test_there_is_at_least_one():
    assert "new_customers" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_c_description_is_the_cli_declaration(name):
    assert salesight.calculators()[name]["options"] == json.loads(cli("options", name, "--json"))


@pytest.mark.parametrize("name", NAMES)
def test_cli_command_offers_every_option(name):
    help_text = cli(name.replace("_", "-"), "--help")
    for o in salesight.calculators()[name]["options"]:
        assert "--" + o["cli"] in help_text, o["name"]


@pytest.mark.parametrize("name", NAMES)
def test_python_function_documents_every_option(name):
    function = getattr(salesight, name)
    assert name in salesight.__all__
    for o in salesight.calculators()[name]["options"]:
        assert "    %s (%s, default" % (o["name"], o["type"]) in function.__doc__, o["name"]


@pytest.mark.parametrize("name", NAMES)
def test_readme_table_is_generated(name):
    text = open(README, encoding="utf-8").read()
    begin, end = "<!-- options:%s -->\n" % name, "<!-- /options:%s -->" % name
    assert begin in text, "README lacks the options table of %s" % name
    start = text.index(begin) + len(begin)
    assert text[start:text.index(end)] == cli("options", name, "--markdown"), \
        "README's %s table drifted: regenerate it with `salesight options %s --markdown`" \
        % (name, name)
