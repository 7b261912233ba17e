"""Hypothesis profiles for the reliability suite.

``HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest tests/reliability/test_fuzz.py`` runs every fuzz test with
``FUZZ_EXAMPLES`` examples (docs/reliability.md records a run). Without the variable the active profile
is the suite's (``tests/conftest.py``: Hypothesis's own, ``ci`` when it detects CI, without deadlines):
100 examples per test, which keeps the suite fast. The profile is chosen by an environment variable because
``--hypothesis-profile`` is read before this file registers ``fuzz``.
"""

import os

from hypothesis import HealthCheck, settings

FUZZ_PROFILE = "fuzz"
FUZZ_EXAMPLES = 10_000

settings.register_profile(
    FUZZ_PROFILE,
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

FUZZING = settings().max_examples >= FUZZ_EXAMPLES
"""Whether this run is a full fuzz run: such tests get a longer pytest timeout than the usual 120 s."""
