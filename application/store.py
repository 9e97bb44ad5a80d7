"""The event-sourced application's plumbing: typed get, optimistic-concurrency update, save."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent, Recording
from eventsourcing.domain import (
    Aggregate,
    BaseAggregate,
    CollectEventsProtocol,
    DomainEventProtocol,
    MutableOrImmutableAggregate,
)
from eventsourcing.persistence import InfrastructureFactory, IntegrityError, Mapper

from application.copies import copy_of
from contracts.chain import digest
from contracts.envelope import to_envelope
from domain.errors import ConflictError, DomainError, NotFoundError, ValidationError, echoed
from domain.rules import storable
from eventstore.keys import KeyStore, MemoryKeyStore
from eventstore.sealing import SealingMapper

MAX_ATTEMPTS = 8
WRITE_LOCK_STRIPES = 64
AggregateT = TypeVar("AggregateT", bound=Aggregate)
ResultT = TypeVar("ResultT")


class Unchecked(Exception):  # noqa: N818 - not an error: an attempt to make again on the stored aggregate
    """A first attempt, decided on a cached aggregate, that refused or stored nothing."""


@dataclass(frozen=True)
class Stored:
    """What a command stored: the aggregate it changed and the global sequence of its last event."""

    aggregate_id: UUID
    version: int
    sequence: int | None


def _events_of(obj: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID]) -> list[DomainEventProtocol[UUID]]:
    if isinstance(obj, BaseAggregate):  # a class check first: each runtime Protocol check costs ~20 µs
        return list(obj.collect_events())
    if isinstance(obj, DomainEventProtocol):
        return [obj]
    return list(obj.collect_events()) if isinstance(obj, CollectEventsProtocol) else []


def _project(aggregate: Any, events: Any) -> Any:
    """The library's project_aggregate without its runtime Protocol check of each event (~20 µs):
    every event here is the library's own, whose `mutate` the call below needs anyway."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def _stored(aggregate: Aggregate, recordings: list[Recording[UUID]]) -> Stored:
    sequence = recordings[-1].notification.id if recordings else None
    return Stored(aggregate.id, aggregate.version, sequence)


def not_found(kind: type[Aggregate], uuid: UUID) -> NotFoundError:
    """The one refusal for an aggregate that does not exist or that the caller may not see."""
    return NotFoundError(f"{kind.__name__.lower()} {uuid} does not exist")


KeyStoreFor = Callable[[InfrastructureFactory[Any]], KeyStore]


def memory_keys(_: InfrastructureFactory[Any]) -> KeyStore:
    return MemoryKeyStore()


class EventStore(Application[UUID]):
    """`keys`: builds the data-key store from the library's persistence factory (bootstrap.py
    chooses PostgreSQL's; the default keeps keys in memory, with the in-memory event store)."""

    def __init__(self, env: dict[str, str] | None = None, *, keys: KeyStoreFor = memory_keys):
        self._keys_for = keys
        super().__init__(env)
        self._write_locks = tuple(threading.Lock() for _ in range(WRITE_LOCK_STRIPES))

    def construct_mapper(self) -> Mapper[UUID]:
        return SealingMapper(self.construct_transcoder(), self._keys_for(self.factory))

    def save(self, *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None, **kwargs: Any
             ) -> list[Recording[UUID]]:
        """Every event is saved with the digest of its public content (contracts/chain.py), its
        private fields sealed as stored and published, so erasing a key never breaks the chain.
        The events are collected and sealed here, then recorded, snapshotted and notified by the
        library's own steps of `Application.save` (eventsourcing 9.5), their aggregates with
        them so that the library still caches and snapshots them."""
        mapper = cast(SealingMapper, self.mapper)
        events = [mapper.sealed(event) for obj in objs if obj is not None for event in _events_of(obj)]
        aggregates = [obj for obj in objs if isinstance(obj, BaseAggregate)
                      or (obj is not None and not isinstance(obj, DomainEventProtocol))]
        digests = [digest(to_envelope(event, 0, "")) for event in events]
        # Not through `super().save`: its collect_events makes three runtime Protocol checks per
        # save (~35 µs) to sort what the lines above have already sorted.
        processing = ProcessingEvent[UUID]()
        processing.events.extend(events)
        processing.aggregates.update((aggregate.id, aggregate) for aggregate in aggregates)
        processing.saved_kwargs.update(kwargs, digests=digests)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)  # deprecated, kept as the library's save calls it
        return recordings

    def forget_cached_aggregates(self) -> None:
        """Drop every aggregate this process caches: after an erasure, a cached aggregate still
        holds text opened with the erased key, which a later command would otherwise restate."""
        cache = self.repository.cache
        if cache is None:
            return
        for aggregate_id in list(cache.cache):
            with suppress(KeyError):
                cache.get(aggregate_id, evict=True)

    def find(self, kind: type[AggregateT], uuid: UUID, version: int | None = None, *, unread: bool = False
             ) -> AggregateT | None:
        """A cached aggregate is copied (the caller may change it) as the library would, but by
        `copy_of`, not `deepcopy`. `unread`: as this process cached it, without reading the events
        stored since (another process's); for a command's first attempt only (see `update`)."""
        repository = self.repository
        aggregate: object = None
        if unread and version is None and repository.cache:
            with suppress(KeyError):
                aggregate = repository.cache.get(uuid)
        if aggregate is None:
            try:
                aggregate = repository.get(
                    uuid, version=version, projector_func=_project, deepcopy_from_cache=False)
            except AggregateNotFoundError:
                return None
        if not isinstance(aggregate, kind):
            return None
        if repository.cache and version is None and repository.deepcopy_from_cache:
            aggregate = copy_of(aggregate)
        return aggregate

    def get(
        self,
        kind: type[AggregateT],
        aggregate_id: str | UUID,
        version: int | None = None,
        *,
        field: str = "id",
        visible: Callable[[AggregateT], bool] | None = None,
        unread: bool = False,
    ) -> AggregateT:
        """`field`: the input that named the aggregate, reported when the id is not a UUID.
        `visible`: whether the caller may see it; one they may not see is not found, worded
        exactly as an id that does not exist, so a refusal does not reveal that it exists.
        `unread`: see `find`."""
        try:
            uuid = UUID(str(aggregate_id))
        except ValueError:
            raise ValidationError(f"{echoed(aggregate_id)} is not a valid id", field=field) from None
        aggregate = self.find(kind, uuid, version, unread=unread)
        if aggregate is None or (visible is not None and not visible(aggregate)):
            raise not_found(kind, uuid)
        return aggregate

    def update(
        self,
        kind: type[AggregateT],
        aggregate_id: str | UUID,
        change: Callable[[AggregateT], Sequence[Aggregate] | None],
        just_read: AggregateT | None = None,
        *,
        unread: bool = False,
    ) -> Stored:
        """Optimistic concurrency: a lost race re-reads the aggregate and re-validates.
        `change` may return other aggregates it changed: they are saved in the same transaction.
        `just_read`: the aggregate as the caller has just read it, for the first attempt; `unread`:
        it was read with `unread` (as this process cached it).

        The first attempt decides on the aggregate as this process cached it, without a round
        trip to read what was stored since: the save of a version another process has stored
        since collides (a lost race), and a refusal, or a change that stores nothing, is decided
        again on the aggregate read from the store. So nothing is decided on a stale aggregate."""
        unused = [just_read] if just_read is not None else []
        first = True

        def attempt() -> Stored:
            nonlocal first
            if unused:
                aggregate, cached = unused.pop(), unread
            else:
                aggregate, cached = self.get(kind, aggregate_id, unread=first), first
            first = False
            try:
                others = change(aggregate) or ()
                if cached and not aggregate.pending_events:
                    raise Unchecked
                recordings = self._save_checked(aggregate, *others)
            except (DomainError, IntegrityError):
                if cached:
                    raise Unchecked from None
                raise
            self._cache_as_stored(aggregate.id, recordings)
            return _stored(aggregate, recordings)

        return self.retry(aggregate_id, attempt, f"{kind.__name__.lower()} {aggregate_id} is changing too fast, retry")

    def retry(self, aggregate_id: str | UUID, attempt: Callable[[], ResultT], too_fast: str) -> ResultT:
        """Run `attempt` (read, decide, save) on `aggregate_id` again while it loses
        a race (IntegrityError), at once when it decided on a cached aggregate (`Unchecked`).
        Writers of one aggregate in this process take turns on a striped lock, so only writers
        of other processes race here."""
        with self._write_locks[hash(str(aggregate_id)) % WRITE_LOCK_STRIPES]:
            for n in range(MAX_ATTEMPTS):
                try:
                    return attempt()
                except Unchecked:
                    continue
                except IntegrityError:
                    time.sleep(random.uniform(0, 0.002 * 2**n))  # spread the retrying racers
        raise ConflictError(too_fast)

    def create(self, aggregate: Aggregate) -> Stored:
        try:
            return self.store(aggregate)
        except IntegrityError:
            raise ConflictError(f"{type(aggregate).__name__.lower()} already exists") from None

    def store(self, aggregate: Aggregate, *others: Aggregate) -> Stored:
        """Saves `aggregate` (and `others`, in the same transaction); the sequence is the last event's."""
        return _stored(aggregate, self._save_checked(aggregate, *others))

    def _save_checked(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        """Every value of every event is checked first, whichever command made it: nothing a
        consumer could not store or compute with reaches the store."""
        for changed in aggregates:
            for event in changed.pending_events:
                storable(vars(event))
        return self.save(*aggregates)

    def _cache_as_stored(self, aggregate_id: UUID, recordings: list[Recording[UUID]]) -> None:
        """What the next command of this process decides on, unread (see `update`): the cached
        aggregate fast-forwarded with the events just stored, decoded from their stored form as a
        read decodes them; not the command's own copy, whose values were never stored and read
        back (a tuple it passed would stay a tuple, where the store gives a list)."""
        cache = self.repository.cache
        if cache is None:
            return
        try:
            cached = cache.get(aggregate_id)
        except KeyError:
            return
        notifications = (r.notification for r in recordings)
        stored = [n for n in notifications if n.originator_id == aggregate_id and n.originator_version > cached.version]
        if stored and stored[0].originator_version == cached.version + 1:
            cache.put(aggregate_id, _project(copy_of(cached), map(self.mapper.to_domain_event, stored)))
