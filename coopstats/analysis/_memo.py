"""Remember what a function of the data computed, keyed by the data's content.

A notebook asks for the same panel, series or pairing figures many times (each comparison
reads them again), and the exports compute every rate twice over. :func:`by_content`
remembers a function's result for the data it was given: the key is a hash of every value
of every table (with the columns, dtypes, categories and index), not the object, so a
table changed in place, or a dataset loaded from a changed copy, is computed afresh. Each
call gets its own copy of the result, so a caller that changes it changes nothing for the
next one.

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
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import pandas as pd

__all__ = ["by_content", "content_key"]

_SIZE = 64
T = TypeVar("T")


def _frame_key(frame: pd.DataFrame) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((list(frame.columns), [str(t) for t in frame.dtypes],
                   list(frame.index.names))).encode())
    for col in frame.columns[[isinstance(t, pd.CategoricalDtype) for t in frame.dtypes]]:
        h.update(repr(list(frame[col].cat.categories)).encode())
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.digest()


def content_key(value) -> bytes | None:
    """A hash of a table, or of every table of a dataset (a dataclass of tables); None for
    anything else, or a table whose cells cannot be hashed.

    Examples
    --------
    >>> a, b = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [1.0]})
    >>> content_key(a) == content_key(a.copy()), content_key(a) == content_key(b)
    (True, False)
    """
    try:
        if isinstance(value, pd.DataFrame):
            return _frame_key(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = [getattr(value, f.name) for f in dataclasses.fields(value)]
            if all(isinstance(f, pd.DataFrame) for f in fields):
                return b"".join(_frame_key(f) for f in fields)
    except TypeError:  # unhashable cells (lists …)
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
