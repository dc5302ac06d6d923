"""Scoring recall predictions on a review history, as srs-benchmark scores them: pure, no I/O."""
