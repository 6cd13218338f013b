"""Offline evals: datasets, runners, metrics, reports (see evals/README.md)."""
