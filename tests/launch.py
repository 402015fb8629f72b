"""publish.py with the test hooks connected: the fault-injection launcher.

The kill and signal tests run ``python tests/launch.py <publish.py arguments>``
with ``GONGSHI_KILL_AT=<stage>`` (the build SIGKILLs itself there) or
``GONGSHI_SIGNAL_AT=<stage>:<TERM|INT>`` (it sends itself SIGTERM / SIGINT),
to prove a build stopped at any stage leaves the live site and the ledger as
they were. The stages are those the build announces on
``gongshi.publish.stage_reached``; production code never reads these variables.
"""
import os
import runpy
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pelican.plugins.gongshi.publish import stage_reached  # noqa: E402


def stop_at(stage: str) -> None:
    if os.environ.get("GONGSHI_KILL_AT") == stage:
        os.kill(os.getpid(), signal.SIGKILL)
    at, _, sig = os.environ.get("GONGSHI_SIGNAL_AT", "").partition(":")
    if at == stage:
        os.kill(os.getpid(), getattr(signal, f"SIG{sig}"))


if __name__ == "__main__":
    stage_reached.connect(stop_at, weak=False)
    sys.argv[0] = str(ROOT / "publish.py")
    runpy.run_path(str(ROOT / "publish.py"), run_name="__main__")
