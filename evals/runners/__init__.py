"""Runners: eval items through the engine's code paths."""
