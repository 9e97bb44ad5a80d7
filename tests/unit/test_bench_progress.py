"""The rebuild bench's progress curve (bench/pipeline.py Progress): events/s per tenth."""

from bench.pipeline import Progress


def looks(progress: Progress, samples: list[tuple[float, int]]) -> None:
    for at, applied in samples:
        progress.looks.append((at, applied))


def test_each_tenth_is_timed_from_the_first_batch_applied_not_from_the_start() -> None:
    progress = Progress(1000)
    looks(progress, [(0.0, 0), (5.0, 0), (5.5, 50)] + [(5.0 + k, 100 * k) for k in range(1, 11)])
    found = progress.by_tenth()
    assert found["events_per_s_by_tenth"] == [100] * 10
    assert found["ninth_tenth_over_second"] == 1.0


def test_a_rebuild_that_slows_down_shows_it_in_the_last_tenth() -> None:
    progress = Progress(100)
    samples = [(0.0, 1)] + [(float(k), 10 * k) for k in range(1, 9)] + [(12.0, 90), (13.0, 100)]
    looks(progress, samples)
    found = progress.by_tenth()
    assert found["events_per_s_by_tenth"][1:] == [10] * 7 + [2, 10]
    assert found["ninth_tenth_over_second"] == 0.2


def test_the_last_look_is_the_one_that_saw_the_end() -> None:
    progress = Progress(10)
    assert not progress.seen(9)
    assert progress.seen(10)
    assert Progress(10).by_tenth() == {}
