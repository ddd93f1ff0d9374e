"""A stand-in for opsmon.bids.intake.limited that never answers (test_hardening: the wall-clock limit)."""

import time

time.sleep(60)
