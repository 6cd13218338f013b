"""Background work: the Celery application and its tenant task wrapper (`celery_app`), and
the after-commit job queue every enqueue goes through (`queue`)."""
