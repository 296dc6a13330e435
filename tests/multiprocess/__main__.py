"""`make multiprocess`: the reference deployment (run.py), then the default configuration
behind nginx (default_config.py). Exit status 0 only when every check of both passed."""

import sys
import time

from tests.multiprocess import default_config, run

started = time.monotonic()
run.main()
default_config.main()
passed, failed = run.results.count(True), run.results.count(False)
print(f"make multiprocess: {passed} passed, {failed} failed ({time.monotonic() - started:.0f} s)")
sys.exit(1 if failed or not run.results else 0)
