"""Strawberry's extensions runner, with each extension class's hooks looked up once.

For every request, strawberry's runner asks of each extension and each stage (operation,
parsing, validation, execution) whether its class overrides the hook, of which kind it is
(inspect), and wraps it in a new contextlib decorator. The answer depends only on the class:
here it is found once per (class, stage), and only bound to the request's own extension."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from functools import partial
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    ExtensionContextManagerBase,
    OperationContextManager,
    ParsingContextManager,
    ValidationContextManager,
    WrappedHook,
)
from strawberry.extensions.runner import SchemaExtensionsRunner

Binder = Callable[[SchemaExtension], WrappedHook]
# (extension class, hook name): how to bind its hook to an instance; None: the class has none
BINDERS: dict[tuple[type[SchemaExtension], str], Binder | None] = {}


def binder(manager: ExtensionContextManagerBase, cls: type[SchemaExtension]) -> Binder | None:
    """strawberry's get_hook, split into what the class decides and what the instance gets."""
    hook_fn = getattr(cls, manager.HOOK_NAME)
    if hook_fn is manager.default_hook:
        return None
    if inspect.isgeneratorfunction(hook_fn):
        return partial(_bound, contextlib.contextmanager(hook_fn), False)
    if inspect.isasyncgenfunction(hook_fn):
        return partial(_bound, contextlib.asynccontextmanager(hook_fn), True)
    if not callable(hook_fn):
        raise ValueError(f"Hook {manager.HOOK_NAME} on {cls} must be callable, received {hook_fn!r}")
    return partial(_wrapped, manager.from_callable, hook_fn)  # a plain (async) function: as strawberry wraps it


def _wrapped(wrap: Callable[[SchemaExtension, Any], WrappedHook], hook_fn: Any, extension: SchemaExtension
             ) -> WrappedHook:
    return wrap(extension, hook_fn)


def _bound(factory: Callable[..., Any], is_async: bool, extension: SchemaExtension) -> WrappedHook:
    return WrappedHook(extension=extension, hook=partial(factory, extension), is_async=is_async)


class CachedHooks(ExtensionContextManagerBase):
    def get_hook(self, extension: SchemaExtension) -> WrappedHook | None:
        key = (type(extension), self.HOOK_NAME)
        if key not in BINDERS:
            BINDERS[key] = binder(self, type(extension))
        bind = BINDERS[key]
        return None if bind is None else bind(extension)


class CachedOperation(CachedHooks, OperationContextManager):
    pass


class CachedValidation(CachedHooks, ValidationContextManager):
    pass


class CachedParsing(CachedHooks, ParsingContextManager):
    pass


class CachedExecuting(CachedHooks, ExecutingContextManager):
    pass


class CachedHooksRunner(SchemaExtensionsRunner):
    """The four stages of every request; a stream's results keep strawberry's own manager."""

    def operation(self) -> OperationContextManager:
        return CachedOperation(self.extensions)

    def validation(self) -> ValidationContextManager:
        return CachedValidation(self.extensions)

    def parsing(self) -> ParsingContextManager:
        return CachedParsing(self.extensions)

    def executing(self) -> ExecutingContextManager:
        return CachedExecuting(self.extensions)
