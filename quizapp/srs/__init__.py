"""Spaced repetition: FSRS scheduling, the review queue and study statistics, independent of HTTP."""
