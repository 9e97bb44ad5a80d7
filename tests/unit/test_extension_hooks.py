"""The schema's extensions runner looks each extension class's hooks up once, and still runs
every hook, in order, on the extension of the execution it belongs to."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension

from api.schema import MomentumSchema

calls: list[tuple[str, str, Any]] = []  # (extension, stage, the execution context it saw)
lookups: list[str] = []


class Counted:
    """A hook whose every lookup on its class is counted (strawberry reads hooks from the class)."""

    def __init__(self, hook: Any) -> None:
        self.hook = hook

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type) -> Any:
        if instance is None:
            lookups.append(f"{owner.__name__}.{self.name}")
            return self.hook
        return self.hook.__get__(instance, owner)


def record(extension: SchemaExtension, stage: str) -> None:
    calls.append((type(extension).__name__, stage, extension.execution_context))


def _operation(self: SchemaExtension) -> Iterator[None]:
    record(self, "operation")
    yield
    record(self, "operation end")


async def _execute(self: SchemaExtension) -> AsyncIterator[None]:
    record(self, "execute")
    await asyncio.sleep(0)
    yield


def _parse(self: SchemaExtension) -> None:
    record(self, "parse")


class First(SchemaExtension):
    on_operation = Counted(_operation)
    on_execute = Counted(_execute)


class Second(SchemaExtension):
    on_operation = Counted(_operation)
    on_parse = Counted(_parse)


@strawberry.type
class Query:
    @strawberry.field
    def ping(self) -> str:
        return "pong"


async def executions(count: int) -> list[Any]:
    schema = MomentumSchema(query=Query, extensions=[First, Second])
    contexts: list[Any] = []
    for _ in range(count):
        result = await schema.execute("{ ping }")
        assert result.data == {"ping": "pong"}
        contexts.append(calls[-1][2])
    return contexts


def test_hooks_run_in_order_on_each_execution_s_own_extensions_and_are_looked_up_once() -> None:
    calls.clear()
    lookups.clear()
    contexts = asyncio.run(executions(3))
    stages = [(name, stage) for name, stage, _ in calls]
    once = [("First", "operation"), ("Second", "operation"), ("Second", "parse"), ("First", "execute"),
            ("Second", "operation end"), ("First", "operation end")]
    assert stages == once * 3
    for n, context in enumerate(contexts):  # by identity: a collected context's id() can be reused
        assert all(seen is context for _, _, seen in calls[n * len(once):(n + 1) * len(once)])
    assert len({id(context) for context in contexts}) == 3  # all alive here, so ids are distinct
    assert sorted(lookups) == ["First.on_execute", "First.on_operation", "Second.on_operation", "Second.on_parse"]
