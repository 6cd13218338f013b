"""Catalogue sync: jobs (lock, progress, checkpoints), the pipelined runner, entry points."""
