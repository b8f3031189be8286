"""Judging the evidence: risk of bias, EV reporting (MISEV), effect sizes, claim grading,
citations and the text audit, and the HTML of claim cards. Builds on :mod:`exoreview.core`."""
