"""A faster reading of fetched records for kafka-python 3.0.12, whose pure-Python reading cost
the projector ~10 µs of CPU per record (each field through a property and a varint function,
13 calls for a record with the three CloudEvents headers, then a generator per record for the
header size).

`install` replaces the fetcher's `PartitionRecords._unpack_records` by a copy of it (same
batch CRC check, aborted transactions, control batches, positions and metrics: read_committed
is untouched) whose records of a v2 batch, when no deserializer is set, are read in one loop with
one-byte varints inline. The records yielded, their order and the error a malformed record raises
(after the records before it) are those of kafka-python's own reading:
tests/unit/test_kafka_records.py compares the two on well-formed and on broken batches."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import kafka
import kafka.errors as Errors
from kafka.consumer.fetcher import ConsumerRecord, Fetcher, IsolationLevel
from kafka.record.default_records import DefaultRecordBatch
from kafka.record.util import decode_varint

log = logging.getLogger(__name__)
READS = "3.0.12"  # the kafka-python whose fetcher this copies (with another, its own reading stays)
STOCK = Fetcher.PartitionRecords._unpack_records


def install() -> None:
    """From now on, in this process (kafka-python 3.0.12 only)."""
    if kafka.__version__ == READS:
        Fetcher.PartitionRecords._unpack_records = _unpack_records


def _unpack_records(self: Any, tp: Any, records: Any, key_deserializer: Any, value_deserializer: Any) -> Any:
    """Fetcher.PartitionRecords._unpack_records of kafka-python 3.0.12 (Apache-2.0), but v2
    batches without deserializers read by `_v2_records`."""
    plain = key_deserializer is None and value_deserializer is None
    try:
        batch = records.next_batch()
        last_batch = None
        while batch is not None:
            last_batch = batch
            if self.check_crcs and not batch.validate_crc():
                raise Errors.CorruptRecordError(
                    f"Record batch for partition {self.topic_partition} at offset {batch.base_offset} failed crc check")
            if batch.magic == 2:
                self.leader_epoch = batch.leader_epoch
                if self.isolation_level == IsolationLevel.READ_COMMITTED and batch.has_producer_id():
                    self._consume_aborted_transactions_up_to(batch.last_offset)
                    producer_id = batch.producer_id
                    if self._contains_abort_marker(batch):
                        self.aborted_producer_ids.discard(producer_id)
                    elif self._is_batch_aborted(batch):
                        self.next_fetch_offset = batch.next_offset
                        batch = records.next_batch()
                        continue
                if batch.is_control_batch:
                    self.next_fetch_offset = batch.next_offset
                    batch = records.next_batch()
                    continue
            if plain and batch.magic == 2:
                yield from _v2_records(self, tp, batch)
            else:
                yield from _records(self, tp, batch, key_deserializer, value_deserializer)
            batch = records.next_batch()
        else:
            if last_batch and last_batch.magic == 2:
                self.next_fetch_offset = last_batch.next_offset
            self.drain()
    except StopIteration:
        log.exception("StopIteration raised unpacking messageset")
        raise RuntimeError("StopIteration raised unpacking messageset") from None


def _records(self: Any, tp: Any, batch: Any, key_deserializer: Any, value_deserializer: Any) -> Iterator[Any]:
    """kafka-python's own loop over a batch's records."""
    for record in batch:
        if self.check_crcs and not record.validate_crc():
            raise Errors.CorruptRecordError(
                f"Record for partition {self.topic_partition} at offset {record.offset} failed crc check")
        key_size = len(record.key) if record.key is not None else -1
        value_size = len(record.value) if record.value is not None else -1
        key = self._deserialize(key_deserializer, tp.topic, record.headers, record.key)
        value = self._deserialize(value_deserializer, tp.topic, record.headers, record.value)
        headers = record.headers
        header_size = sum(len(k.encode("utf-8")) + (len(v) if v is not None else 0) for k, v in headers) \
            if headers else -1
        self.records_read += 1
        self.bytes_read += record.size_in_bytes
        self.next_fetch_offset = record.offset + 1
        yield ConsumerRecord(tp.topic, tp.partition, self.leader_epoch, record.offset, record.timestamp,
                             record.timestamp_type, key, value, record.headers, record.checksum,
                             key_size, value_size, header_size)


def _v2_records(self: Any, tp: Any, batch: DefaultRecordBatch) -> Iterator[ConsumerRecord]:
    """The batch's records as `_records` yields them (v2 records have no CRC of their own and
    no deserializer is set): those before a malformed one, then the error its reading raises."""
    batch._maybe_uncompress()
    read: list[tuple[ConsumerRecord, int]] = []
    try:
        _read(tp, batch, self.leader_epoch, read)
        error = None
    except (ValueError, IndexError) as err:  # as DefaultRecordBatch.__next__ reports them
        error = Errors.CorruptRecordError(f"Found invalid record structure: {err!r}")
    except Errors.CorruptRecordError as err:
        error = err
    for record, size in read:
        self.records_read += 1
        self.bytes_read += size
        self.next_fetch_offset = record.offset + 1
        yield record
    if error is not None:
        raise error
    if batch._pos != len(batch._buffer):
        raise Errors.CorruptRecordError(
            f"{len(batch._buffer) - batch._pos} unconsumed bytes after all records consumed")


def _read(tp: Any, batch: DefaultRecordBatch, epoch: int, read: list[tuple[ConsumerRecord, int]]) -> None:
    """Appends (record, its size) for each record of `batch` from its position on, moving its
    position past each one (DefaultRecordBatch._read_msg, field by field)."""
    buffer = batch._buffer
    header = batch._header_data
    topic, partition = tp.topic, tp.partition
    base_offset, first_timestamp, timestamp_type = header[0], header[7], batch.timestamp_type
    append_time = header[8] if timestamp_type == batch.LOG_APPEND_TIME else None  # the batch's max timestamp
    pos = batch._pos
    while batch._next_record_index < batch._num_records:
        # Length, Attributes, TimestampDelta, OffsetDelta, Key, Value, Headers: zigzag varints
        b = buffer[pos]
        if b < 0x80:
            length, pos = (b >> 1) ^ -(b & 1), pos + 1
        else:
            length, pos = decode_varint(buffer, pos)
        start = pos
        b = buffer[pos]
        if b < 0x80:
            _, pos = (b >> 1) ^ -(b & 1), pos + 1
        else:
            _, pos = decode_varint(buffer, pos)
        b = buffer[pos]
        if b < 0x80:
            delta, pos = (b >> 1) ^ -(b & 1), pos + 1
        else:
            delta, pos = decode_varint(buffer, pos)
        timestamp = first_timestamp + delta if append_time is None else append_time
        b = buffer[pos]
        if b < 0x80:
            delta, pos = (b >> 1) ^ -(b & 1), pos + 1
        else:
            delta, pos = decode_varint(buffer, pos)
        offset = base_offset + delta
        b = buffer[pos]
        if b < 0x80:
            size, pos = (b >> 1) ^ -(b & 1), pos + 1
        else:
            size, pos = decode_varint(buffer, pos)
        key = None
        if size >= 0:
            key, pos = bytes(buffer[pos:pos + size]), pos + size
        b = buffer[pos]
        if b < 0x80:
            size, pos = (b >> 1) ^ -(b & 1), pos + 1
        else:
            size, pos = decode_varint(buffer, pos)
        value = None
        if size >= 0:
            value, pos = bytes(buffer[pos:pos + size]), pos + size
        b = buffer[pos]
        if b < 0x80:
            count, pos = (b >> 1) ^ -(b & 1), pos + 1
        else:
            count, pos = decode_varint(buffer, pos)
        if count < 0:
            raise Errors.CorruptRecordError(f"Found invalid number of record headers {count}")
        headers: list[tuple[str, bytes | None]] = []
        header_size = 0
        while count:
            b = buffer[pos]
            if b < 0x80:
                size, pos = (b >> 1) ^ -(b & 1), pos + 1
            else:
                size, pos = decode_varint(buffer, pos)
            if size < 0:
                raise Errors.CorruptRecordError(f"Invalid negative header key size {size}")
            name = buffer[pos:pos + size].decode("utf-8")
            pos += size
            b = buffer[pos]
            if b < 0x80:
                size, pos = (b >> 1) ^ -(b & 1), pos + 1
            else:
                size, pos = decode_varint(buffer, pos)
            header_value = None
            if size >= 0:
                header_value, pos = bytes(buffer[pos:pos + size]), pos + size
            headers.append((name, header_value))
            header_size += len(name.encode("utf-8")) + (len(header_value) if header_value is not None else 0)
            count -= 1
        if pos - start != length:
            raise Errors.CorruptRecordError(f"Invalid record size: expected to read {length} bytes in record "
                                            f"payload, but instead read {pos - start}")
        batch._pos = pos
        batch._next_record_index += 1
        read.append((ConsumerRecord(
            topic, partition, epoch, offset, timestamp, timestamp_type, key, value, headers, None,
            len(key) if key is not None else -1, len(value) if value is not None else -1,
            header_size if headers else -1), length))
