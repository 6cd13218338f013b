"""`shopbot eval run --suite` and `shopbot eval sweep`: the answer evals' composition.

The evals package measures (evals/answers: suites, runner, metrics, results, report); this
package builds what it measures: the catalogue's store emulator, an isolated eval tenant
synced through the real ingestion path, the bot configured from the eval's config, and the
process's real ASGI app driven in process (httpx.ASGITransport).
"""
