"""Per-turn scores of whole answers and their summaries (issue 17).

One concern per module; each scorer's docstring states its rule and its blind spots.

- scoring.py: score_turn, every per-turn metric that applies to a turn
- retrieval.py: hit@1, hit@5, mrr, graded ndcg@5, evidence_in_prompt (and evidence_in_answer)
- prices.py, stock.py, statements.py, grounded.py: the answer's fact statements,
  attributed to products and checked against the catalogue (grounded, facts_quoted)
- citations.py: cards versus the products the answer names
- behaviour.py: refusal and hand-off detection
- language.py: language_match (py3langid)
- overlap.py: token_f1, rouge_l
- summary.py: summarise and metrics_json (bootstrap intervals, overall and per tag)
- aggregates.py: run_aggregates (latency percentiles and histogram, tokens and cost)
- compare.py: compare, a run against a baseline with paired intervals
"""

from __future__ import annotations

from evals.answers.metrics.aggregates import run_aggregates
from evals.answers.metrics.compare import compare
from evals.answers.metrics.scoring import METRIC_NAMES, score_turn
from evals.answers.metrics.summary import metrics_json, summarise

__all__ = ["METRIC_NAMES", "compare", "metrics_json", "run_aggregates", "score_turn", "summarise"]
