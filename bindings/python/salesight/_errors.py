"""Exceptions: one class per salesight status code, all subclasses of
SalesightError, each also a subclass of the matching built-in exception so
ordinary ``except TypeError`` / ``except KeyError`` code keeps working.
The message is the library's own (salesight_last_error())."""


class SalesightError(Exception):
    """Base class of every error raised by salesight."""

    status = "SALESIGHT_ERR_INTERNAL"


class InvalidArgumentError(SalesightError, ValueError):
    status = "SALESIGHT_ERR_INVALID_ARGUMENT"


class TypeMismatchError(SalesightError, TypeError):
    """A column of the wrong dtype (never converted silently)."""

    status = "SALESIGHT_ERR_TYPE_MISMATCH"


class LengthMismatchError(SalesightError, ValueError):
    status = "SALESIGHT_ERR_LENGTH_MISMATCH"


class UnknownColumnError(SalesightError, KeyError):
    """A column that does not exist (in the DataFrame or in a result)."""

    status = "SALESIGHT_ERR_UNKNOWN_COLUMN"

    def __str__(self):  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class UnsupportedError(SalesightError, NotImplementedError):
    status = "SALESIGHT_ERR_UNSUPPORTED"


class OutOfMemoryError(SalesightError, MemoryError):
    status = "SALESIGHT_ERR_OUT_OF_MEMORY"


class OutOfRangeError(SalesightError, OverflowError):
    """Overflow of a money sum, an id or date out of range."""

    status = "SALESIGHT_ERR_OUT_OF_RANGE"


class SalesightIOError(SalesightError, OSError):
    status = "SALESIGHT_ERR_IO"


class InternalError(SalesightError, RuntimeError):
    status = "SALESIGHT_ERR_INTERNAL"


class SalesightDataWarning(UserWarning):
    """Data problems a calculator found and worked around (a stage date before
    an earlier stage's, an overpaid invoice, lines without a cost, ...): the
    message summarises them; the result's ``df.attrs["problems"]`` lists them
    (salesight_result_problems: one dict per kind with problem, count, amount,
    example_ids, example_rows, message)."""


def warn_problems(problems, stacklevel):
    """One SalesightDataWarning summarising `problems` (a list of dicts);
    nothing when it is empty."""
    if not problems:
        return
    import warnings

    warnings.warn("salesight found data problems: "
                  + " | ".join(p["message"] for p in problems),
                  SalesightDataWarning, stacklevel=stacklevel + 1)


# salesight.h status codes -> classes (-1: any code this version does not know).
BY_STATUS = {
    1: InvalidArgumentError,
    2: TypeMismatchError,
    3: LengthMismatchError,
    4: UnknownColumnError,
    5: UnsupportedError,
    6: OutOfMemoryError,
    7: OutOfRangeError,
    8: SalesightIOError,
    99: InternalError,
    -1: SalesightError,
}
