"""Evals of whole answers: conversation suites asked through the widget's chat path, scored
per turn (retrieval, groundedness, citations, refusals, language, overlap with references,
latency, tokens) and reported with bootstrap intervals per tag."""
