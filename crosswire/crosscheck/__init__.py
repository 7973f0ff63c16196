"""Cross-checks: a story's facts against each other and against reference data (``reference``)."""
