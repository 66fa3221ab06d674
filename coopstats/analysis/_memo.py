"""Remember what a function of the data computed, keyed by the data's content.

A notebook asks for the same panel, series or pairing figures many times (each comparison
reads them again), and the exports compute every rate twice over. :func:`by_content`
remembers a function's result for the data it was given: the key is a hash of every value
of every table (its pickle: with the columns, dtypes, categories and index), not the object,
so a table changed in place, or a dataset loaded from a changed copy, is computed afresh.
Each call gets its own copy of the result, so a caller that changes it changes nothing for
the next one.

Examples
--------
>>> import pandas as pd
>>> calls = []
>>> @by_content
... def total(frame: pd.DataFrame) -> pd.DataFrame:
...     calls.append(1)
...     return frame.sum().to_frame("total")
>>> t = pd.DataFrame({"x": [1, 2]})
>>> int(total(t).loc["x", "total"]), int(total(t).loc["x", "total"]), len(calls)
(3, 3, 1)
>>> t.loc[0, "x"] = 5  # changed in place: computed afresh
>>> int(total(t).loc["x", "total"]), len(calls)
(7, 2)
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import io
import pickle
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

__all__ = ["by_content", "content_key"]

_SIZE = 64
T = TypeVar("T")
_MASKED = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


def _values(values: pd.api.extensions.ExtensionArray) -> tuple:
    """A column's values as plain numpy arrays, to be pickled for the key: its dtype and
    values, and for a nullable dtype which cells are missing (a categorical column: its
    categories and codes). Not the column's own array, whose pickle also holds how it is
    stored (flags; the bytes under a missing cell, which an operation left there)."""
    if isinstance(values, pd.Categorical):
        return values.ordered, _values(values.categories.array), np.asarray(values.codes)
    if isinstance(values, _MASKED):
        return (str(values.dtype), values.isna(),
                values.to_numpy(dtype=values.dtype.numpy_dtype, na_value=0))
    if isinstance(values.dtype, np.dtype):  # NaN and None are values here
        return str(values.dtype), values.to_numpy()
    # strings and any other extension type
    return (str(values.dtype), np.asarray(values.isna()),
            values.to_numpy(dtype=object, na_value=None))


def _frame_key(frame: pd.DataFrame) -> bytes:
    # the pickle of each column's values (with their dtype and categories), the column
    # names and the index: equal bytes are equal tables (≈ 3 times faster than
    # hash_pandas_object). Column by column, so that how pandas groups the columns into
    # blocks (which it may change in place) does not change the key; without the pickle's
    # memo (fast mode), so that it does not depend on which cells share one object either
    # (two loads of the same files give the same key)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    index = frame.index
    pickler.dump((list(frame.columns), list(index.names),
                  [_values(index.get_level_values(i).array) for i in range(index.nlevels)],
                  [_values(column.array) for _, column in frame.items()]))
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()


def content_key(value) -> bytes | None:
    """A hash of a table, or of every table of a dataset (a dataclass of tables); None for
    anything else, or a table whose cells cannot be pickled.

    Examples
    --------
    >>> a, b = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [1.0]})
    >>> content_key(a) == content_key(a.copy()), content_key(a) == content_key(b)
    (True, False)
    >>> import coopstats
    >>> content_key(coopstats.load_all()) == content_key(coopstats.load_all())
    True
    """
    try:
        if isinstance(value, pd.DataFrame):
            return _frame_key(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = [getattr(value, f.name) for f in dataclasses.fields(value)]
            if all(isinstance(f, pd.DataFrame) for f in fields):
                return b"".join(_frame_key(f) for f in fields)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):  # cannot pickle
        return None
    return None


def by_content(func: Callable[..., T]) -> Callable[..., T]:
    """Remember ``func(data, *args, **kwargs)`` for data of the same content and the same
    (hashable) arguments; the last 64 results are kept, and each call returns a copy."""
    memo: OrderedDict[tuple, T] = OrderedDict()

    @functools.wraps(func)
    def wrapper(data, *args, **kwargs):
        key = content_key(data)
        try:
            key = key and (key, args, tuple(sorted(kwargs.items())))
            found = key in memo if key else False
        except TypeError:  # an argument that cannot be hashed: compute
            key, found = None, False
        if not found:
            result = func(data, *args, **kwargs)
            if not key:
                return result
            memo[key] = result
            if len(memo) > _SIZE:
                memo.popitem(last=False)
        memo.move_to_end(key)
        return copy.deepcopy(memo[key])

    wrapper.cache_clear = memo.clear  # type: ignore[attr-defined]
    return wrapper
