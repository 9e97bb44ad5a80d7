"""A command's own copy of a cached aggregate, made like `copy.deepcopy` makes it (every dict,
list and set copied, shared ones shared once, the copy's class the original's), but without
deepcopy's general dispatch for the plain values aggregates hold: ~4× cheaper on a goal."""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar
from uuid import UUID

T = TypeVar("T")

# Values that cannot change once made: a copy may share them (deepcopy makes equal new ones).
IMMUTABLE = frozenset({str, int, float, bool, type(None), bytes, UUID, datetime, date, time, timedelta, Decimal})


def copy_of(aggregate: T) -> T:
    """An aggregate is an instance whose state is its `__dict__`; anything else is deep-copied."""
    kind: Any = type(aggregate)
    state = getattr(aggregate, "__dict__", None)
    if type(state) is not dict or not _plain(kind):
        return deepcopy(aggregate)
    memo: dict[int, Any] = {}
    copy = kind.__new__(kind)
    copy.__dict__.update({name: _copied(value, memo) for name, value in state.items()})
    return copy


@cache
def _plain(kind: type) -> bool:
    """Whether deepcopy would copy an instance of `kind` as its `__dict__` alone: no copying of
    its own, no slots holding state outside the `__dict__`."""
    own = any(hasattr(kind, name) for name in ("__deepcopy__", "__setstate__"))
    slots = [name for base in kind.__mro__ for name in _names(base.__dict__.get("__slots__", ()))]
    reduces = kind.__reduce_ex__ is object.__reduce_ex__ and kind.__reduce__ is object.__reduce__
    return not own and reduces and all(name in ("__dict__", "__weakref__") for name in slots)


def _names(slots: str | Iterable[str]) -> Iterable[str]:
    return (slots,) if isinstance(slots, str) else slots


def _copied(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind in IMMUTABLE:
        return value
    done = memo.get(id(value))
    if done is not None:
        return done
    if kind is dict:
        copy: Any = {}
        memo[id(value)] = copy
        copy.update({key: _copied(item, memo) for key, item in value.items()})
    elif kind is list:
        copy = []
        memo[id(value)] = copy
        copy.extend(_copied(item, memo) for item in value)
    elif kind is set:
        copy = {_copied(item, memo) for item in value}
    else:
        copy = deepcopy(value, memo)
    memo[id(value)] = copy
    return copy
