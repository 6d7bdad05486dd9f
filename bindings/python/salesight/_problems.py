"""Data problems of a result (salesight_result_problems) for the pandas layer:
df.attrs["problems"] and one SalesightDataWarning. The table is the C
library's, the one the CLI prints: nothing is decided here."""

from ._errors import warn_problems


def attach_problems(frame, result, money, stacklevel):
    """Sets frame.attrs["problems"] to the result's problems as a list of
    dicts (problem, count, amount, example_ids, example_rows, message; [] when
    there is none) and warns once when it is not empty. ``money``: "float"
    gives the amount in currency units, "minor" in minor units."""
    table = result.problems()
    columns = {table.column_name(i): i for i in range(table.num_columns)}
    amount_col = columns["amount"]
    valid = table.column_validity(amount_col)
    problems = []
    for row in range(table.num_rows):
        p = {name: table.column(i)[row] for name, i in columns.items()}
        if valid is not None and not valid[row]:
            p["amount"] = None
        elif money == "float":
            p["amount"] = int(p["amount"]) / 10 ** table.column_money_scale(amount_col)
        else:
            p["amount"] = int(p["amount"])
        p["count"] = int(p["count"])
        p["example_ids"] = p["example_ids"].split(";") if p["example_ids"] else []
        p["example_rows"] = [int(r) for r in p["example_rows"].split(";") if r]
        problems.append(p)
    frame.attrs["problems"] = problems
    warn_problems(problems, stacklevel=stacklevel + 1)
