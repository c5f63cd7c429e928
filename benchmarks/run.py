"""Run every benchmark (``make bench``). Each ``bench_*.py`` prints its own figures as ratios against a
baseline it measures in the same process run; this runner only sequences them and reports failures.

    python benchmarks/run.py [NAME ...]   # e.g. python benchmarks/run.py throughput link
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    failed = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"\n=== {name} ({path.name})", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(path)])
        print(f"--- {name}: exit {rc}, {time.perf_counter() - t0:.1f}s", flush=True)
        if rc:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
