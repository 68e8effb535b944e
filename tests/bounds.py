"""Measure one request's cost in an attack test: wall time and peak memory, printed.

Figures are printed, not asserted to the millisecond (the machine is shared): a test asserts
the refusal's code and, at most, a generous memory bound.

Peak memory is the process's resident set high-water mark (VmHWM), reset before the request
through /proc/self/clear_refs where Linux allows it; the figure is how far this request's peak
rose above what the process already held, so a long test run's own size does not count.
Elsewhere `ru_maxrss` is read after (a peak since the start).
tracemalloc is left off: it would slow the request it measures several times over.
"""

import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")
MB = 1024 * 1024


@dataclass
class Cost:
    seconds: float = 0.0
    added_rss_mb: float = 0.0
    rss_reset: bool = False


def _high_water_mb():
    try:
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (MB if sys.platform == "darwin" else 1024)


def _reset_high_water():
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@contextmanager
def measured(label):
    """Time the block and measure its peak memory; print the figures with `label`."""
    cost = Cost()
    cost.rss_reset = _reset_high_water()
    before = _high_water_mb()
    start = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - start
        peak = _high_water_mb()
        cost.added_rss_mb = peak - before if cost.rss_reset else peak
        how = "peak RSS added by the request" if cost.rss_reset else "ru_maxrss since start"
        print(
            f"\n[attack] {label}: {cost.seconds:.2f} s, {how} {cost.added_rss_mb:.0f} MB "
            f"(before: {before:.0f} MB)"
        )
