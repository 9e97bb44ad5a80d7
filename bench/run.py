"""`python -m bench.run [--quick]`: every scenario, its baseline and their ratio; writes latest.json."""

from __future__ import annotations

import argparse
import json
import logging
import platform
import time
from datetime import UTC, datetime
from typing import Any

from bench import api_scenarios, pipeline
from bench.harness import RESULTS, isolated, write_results
from bench.time_travel import time_travel

FULL = {"write_requests": 2000, "pipeline_events": 100_000, "rebuild_events": 1_000_000,
        "read_requests": 2000, "freshness_s": 30, "time_travel_events": 10_000}
TARGETS = {
    "write_path": "throughput >= 50% of baseline", "relay": ">= 70% of the raw producer",
    "projector": ">= 12,000 events/s in one process (ratio to the raw consumer printed)",
    "rebuild": "1,000,000 events in <= 90 s, peak memory <= 300 MB (2 processes)",
    "rebuild_1_process": "the same in one process", "freshness": "p99 <= 100 ms at 100 mutations/s",
    "reads": "page of 50 >= 50% of baseline with p99 <= 500 ms; one goal >= 60%", "time_travel": "<= 50 ms",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every scenario at a tenth of the size")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("kafka").setLevel(logging.ERROR)
    size = {k: v // 10 if args.quick else v for k, v in FULL.items()}
    size["time_travel_events"] = FULL["time_travel_events"]  # the target is stated for 10,000 events
    results: dict[str, Any] = {"started": datetime.now(UTC).isoformat(), "quick": args.quick,
                               "machine": platform.platform(), "targets": TARGETS, "scenarios": {}}
    scenarios = results["scenarios"]

    def record(name: str, run: Any) -> None:
        started = time.perf_counter()
        scenarios[name] = run()
        scenarios[name]["scenario_seconds"] = round(time.perf_counter() - started, 1)
        print(f"\n== {name} ({TARGETS.get(name, '')})\n{json.dumps(scenarios[name], indent=2)}", flush=True)
        write_results(results)

    record("write_path", lambda: api_scenarios.with_isolated(api_scenarios.write_path, size["write_requests"]))
    with isolated() as settings:
        record("relay", lambda: pipeline.relay(settings, size["pipeline_events"]))
        record("projector", lambda: pipeline.projector(settings, size["pipeline_events"]))
    with isolated() as settings:
        pipeline.fill_topic(settings, size["rebuild_events"])
        record("rebuild", lambda: pipeline.rebuild(settings, size["rebuild_events"], processes=2))
        record("rebuild_1_process", lambda: pipeline.rebuild(settings, size["rebuild_events"]))
    record("freshness", lambda: api_scenarios.with_isolated(api_scenarios.freshness, size["freshness_s"]))
    record("reads", lambda: api_scenarios.with_isolated(api_scenarios.reads, size["read_requests"]))
    record("time_travel", lambda: api_scenarios.with_isolated(time_travel, size["time_travel_events"]))
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()
