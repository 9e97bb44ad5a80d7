"""Integration mutations: admins register service accounts, goal definers link key results to
metrics, service accounts record measurements. Resolvers only translate; the application decides."""

from __future__ import annotations

import json
from typing import Annotated

import strawberry

from api import descriptions as d
from api.goals.types import GoalWrite
from api.integrations import inputs as i
from api.integrations.types import MeasurementResult, MeasurementsRecorded
from api.resolvers import ResolverInfo, Write, app, run, run_on, written
from application.integrations import Outcome, Reading
from domain.errors import ValidationError
from projections import measurements


@strawberry.type
class IntegrationMutation:
    @strawberry.mutation(description="Admin: add an integration's service account to the directory.")
    async def register_service_account(
        self, info: ResolverInfo, input: Annotated[i.RegisterServiceAccountInput, d.INPUT]
    ) -> Write:
        stored = await run(
            info, app(info).integrations.register_service_account, account_id=str(input.account_id), name=input.name
        )
        return written(stored, str(input.account_id))

    @strawberry.mutation(description="Admin: deactivate a service account; its measurements are refused from then on.")
    async def deactivate_service_account(
        self, info: ResolverInfo, input: Annotated[i.DeactivateServiceAccountInput, d.INPUT]
    ) -> Write:
        accounts = app(info).integrations
        return await run_on(info, accounts.deactivate_service_account, str(input.account_id), input.reason)

    @strawberry.mutation(
        description="Link a key result to the metric integrations measure (or unlink it); who may is who may "
        "change the goal's definition."
    )
    async def link_key_result_metric(
        self, info: ResolverInfo, input: Annotated[i.LinkKeyResultMetricInput, d.INPUT]
    ) -> GoalWrite:
        stored = await run(
            info, app(info).goals.link_metric, str(input.goal_id), str(input.key_result_id), input.metric_key
        )
        return GoalWrite.of(stored, str(input.key_result_id))

    @strawberry.mutation(
        description="Integration (a service account's token, role `integration`): record measurements, each a "
        "check-in of the key result its metric feeds, each on its own: applied, a duplicate (nothing changes) or "
        "refused with a reason (kept as a dead letter)."
    )
    async def record_measurements(
        self, info: ResolverInfo, input: Annotated[i.RecordMeasurementsInput, d.INPUT]
    ) -> MeasurementsRecorded:
        most = info.context.services.settings.measurements_max_batch
        if not 1 <= len(input.measurements) <= most:
            raise ValidationError(f"send 1 to {most} measurements at once", field="measurements")
        readings = [Reading(m.idempotency_key, m.metric_key, m.value, m.confidence, m.note) for m in input.measurements]
        outcomes = await run(info, app(info).integrations.record_measurements, readings, "api")
        await _bury(info, readings, outcomes)
        return MeasurementsRecorded(results=[MeasurementResult.of(o) for o in outcomes])


async def _bury(info: ResolverInfo, readings: list[Reading], outcomes: list[Outcome]) -> None:
    letters = [
        measurements.DeadLetter(
            channel="api", integration=info.context.actor.id, idempotency_key=reading.idempotency_key,
            metric_key=reading.metric_key, reason=outcome.reason.value, message=outcome.message,
            payload=json.dumps(vars(reading)).encode(),
        )
        for reading, outcome in zip(readings, outcomes, strict=True)
        if outcome.reason is not None
    ]
    if letters:
        async with info.context.pool.connection() as conn:
            await measurements.bury_async(conn, letters)
