"""What the answer service records for the merchant's analytics as it answers: which
questions mean the same (engine.analytics.question_clusters) and whether each was answered
(engine.analytics.answered, the one definition every count uses)."""
