"""The merchant REST API (`/v1/...`): one folder per domain, mounted by the composition root
through `dashboard_api.routes.include_dashboard_api`."""
