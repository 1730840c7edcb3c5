"""Hypothesis profiles of the fuzz tests (tests/fuzz/), chosen with HYPOTHESIS_PROFILE.

- `ci` (the default): derandomized, so every run, in CI or on a developer's machine, draws the same
  examples and a failure can be reproduced with the same command; no example database.
- `explore`: new random examples on every run, failures kept in .hypothesis/ and replayed first,
  for looking for new problems by hand (`HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/fuzz`).

No deadline in either: the examples go through real servers and databases, whose time per request
varies with the machine's load, and a slow answer is not what these tests look for.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The live servers and the in-process apps are session or module fixtures on purpose (starting them per
# example would take hours), and some examples are large bodies: neither is a problem to report.
QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, suppress_health_check=QUIET, print_blob=True
)
settings.register_profile("explore", deadline=None, suppress_health_check=QUIET, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
