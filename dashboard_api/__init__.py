"""The merchant REST API (`/v1/...`): one folder per domain, mounted by the composition root
through `dashboard_api.routes.include_dashboard_api`.

The unit-of-work rule every domain follows:
- `endpoints.py` parses the request and calls its domain's service only (never a
  `repository`); `repository.py` holds the SQL; `schemas.py` the API shapes.
- A service function takes the session it works in. The edge gives it: `TenantSession`
  (auth.context) is the request's one transaction, committed after the handler returns
  and before the response is sent.
- A flow that must span transactions on purpose is a named orchestrator that takes the
  `Database` and says why in its docstring: no transaction held across a network call
  (`stores.connection_flows.StoreConnectionFlows`) or embedding
  (`knowledge.indexing.KnowledgeIndexing`), a business not known until a token is read
  (`auth.sign_in_flows`, `auth.account_flows`, `team.service.accept_invitation`), a
  failed attempt committed even though the request fails (`auth.sign_in_flows`).
- Background work (a sync run, an email) is enqueued with
  `core.background.queue.jobs_of(session).enqueue(...)` and sent only after the
  transaction commits; nothing is sent for one that rolls back.
"""
