"""Fault injection for tests (MOMENTUM_FAULT_INJECTION, refused in production): a query
field that always fails unexpectedly, to prove that such errors reach clients masked."""

from __future__ import annotations

import strawberry


class InjectedFault(RuntimeError):
    pass


@strawberry.type
class FaultQuery:
    @strawberry.field(description="Always fails with an unexpected error (tests only).")
    def failing_resolver(self) -> str:
        raise InjectedFault("secret internal detail: /srv/momentum/db password=hunter2")
