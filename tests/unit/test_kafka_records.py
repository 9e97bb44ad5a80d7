"""consumers/kafka_records.py reads fetched records as kafka-python 3.0.12 does: the same records, in
the same order, with the same positions, and the same error after the same records when a batch
(with a valid CRC) holds a malformed record."""

from __future__ import annotations

import random
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from kafka import TopicPartition
from kafka.consumer.fetcher import Fetcher, IsolationLevel
from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder
from kafka.record.memory_records import MemoryRecords
from kafka.record.util import calc_crc32c

from consumers import kafka_records as records

TP = TopicPartition("t", 0)


def _batch(base: int, rng: random.Random, sizes: tuple[int, ...] = (0, 1, 63, 64, 700, 20_000)) -> bytearray:
    builder = DefaultRecordBatchBuilder(2, 0, 0, -1, -1, -1, 1 << 20)
    for delta in range(rng.randint(1, 40)):
        headers = [("content-type", b"application/cloudevents+json"), ("type", b"momentum.goal.Created.v2"),
                   ("sequence", str(base + delta).encode())][:rng.randint(0, 3)]
        if rng.random() < 0.1:
            headers.append(("é" * rng.randint(1, 80), None))
        key = None if rng.random() < 0.1 else rng.randbytes(rng.choice([0, 16, 36, 200]))
        value = None if rng.random() < 0.1 else rng.randbytes(rng.choice(sizes))
        builder.append(delta, 1_700_000_000_000 + rng.randint(0, 1 << 40), key, value, headers)
    buffer = builder.build()
    struct.pack_into(">q", buffer, 0, base)
    return buffer


def _sealed(buffer: bytearray) -> bytes:
    """The batch with its CRC computed again (so that a changed byte reaches the records)."""
    crc = calc_crc32c(memoryview(buffer)[DefaultRecordBatch.ATTRIBUTES_OFFSET:])
    struct.pack_into(">I", buffer, DefaultRecordBatch.CRC_OFFSET, crc)
    return bytes(buffer)


@contextmanager
def _reading(fast: bool) -> Iterator[None]:
    stock = Fetcher.PartitionRecords._unpack_records
    if fast:
        records.install()
    try:
        yield
    finally:
        Fetcher.PartitionRecords._unpack_records = stock


def _read(data: bytes, fast: bool) -> list[Any]:
    """What a consumer's polls of 7 records at a time take from `data`: records, then the error."""
    taken: list[Any] = []
    with _reading(fast):
        partition = Fetcher.PartitionRecords(0, TP, MemoryRecords(data), check_crcs=True,
                                             isolation_level=IsolationLevel.READ_COMMITTED)
        for _ in range(1000):
            if not partition:
                break
            try:
                taken.append(partition.take(7))
            except Exception as error:  # noqa: BLE001 - compared, type and text
                taken.append((type(error).__name__, str(error)))
            taken.append((partition.next_fetch_offset, partition.records_read, partition.bytes_read))
    return taken


def test_it_replaces_kafka_pythons_reading() -> None:
    with _reading(True):
        assert Fetcher.PartitionRecords._unpack_records is records._unpack_records


@pytest.mark.parametrize("seed", range(20))
def test_well_formed_batches_read_alike(seed: int) -> None:
    rng = random.Random(seed)
    data, base = b"", 0
    for _ in range(rng.randint(1, 6)):
        data += _sealed(_batch(base, rng))
        base += 50
    assert _read(data, fast=True) == _read(data, fast=False)
    assert sum(len(t) for t in _read(data, fast=True) if isinstance(t, list)) > 0


@pytest.mark.parametrize("seed", range(300))
def test_a_malformed_record_fails_alike_after_the_same_records(seed: int) -> None:
    rng = random.Random(seed)
    good, broken = _sealed(_batch(0, rng)), _batch(100, rng, sizes=(0, 1, 5, 63, 64, 130))
    for _ in range(rng.randint(1, 3)):  # small records: a changed byte is mostly a length, a count or a varint
        at = rng.randrange(DefaultRecordBatch.HEADER_STRUCT.size, len(broken))
        broken[at] = rng.choice([0x00, 0x01, 0x7F, 0x80, 0xFF, rng.randrange(256)])
    data = good + _sealed(broken)
    assert _read(data, fast=True) == _read(data, fast=False)
