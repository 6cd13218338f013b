"""The answer-eval suites: `<name>.jsonl` files (one conversation per line, format in
`evals/answers/suite.schema.json`, loaded by `evals.answers.suites`) and the store
catalogues they are asked of (`catalogues/`). A package only so an installed wheel ships
the data."""
