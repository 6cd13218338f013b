"""The image and the compose file, checked by reading them (Docker does not run here):
compose's api, worker and beat pass the production checks with only the two secrets
given, and the image's last stage runs as an unprivileged user."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from check_jsonschema.cli.main_command import main as check_jsonschema
from click.testing import CliRunner

from core.deployment import production_problems
from core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
LONG_RUNNING = ("api", "worker", "worker-webhooks", "beat")
OPERATOR_GIVES = {
    "SHOPBOT_SECRET_KEY": "k" * 48,
    "SHOPBOT_ENCRYPTION_KEYS": "kDqHXzvIlP1vc1ZB0cfM9I-2sWHQTaNLjI0gLtu3ZuQ=",
}

_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def _interpolate(value: str, given: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"] or ""
        present = name in given
        empty = present and given[name] == ""
        if op in (":?", "?") and (not present or (op == ":?" and empty)):
            raise LookupError(f"compose refuses to start: {arg}")
        if op in (":-", "-") and (not present or (op == ":-" and empty)):
            return arg
        return given.get(name, "")

    return _VARIABLE.sub(one, value)


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _environment(service: dict, given: dict[str, str]) -> dict[str, str]:
    return {name: _interpolate(str(value), given) for name, value in service["environment"].items()}


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_compose_runs_api_worker_and_beat_in_production_mode_that_passes_its_checks(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    compose = _compose()
    environment = _environment(compose["services"][name], OPERATOR_GIVES)
    assert environment["SHOPBOT_ENV"] == "production"

    # Settings exactly as the container's process reads them: its environment only.
    for variable in list(os.environ):
        if variable.startswith("SHOPBOT_") or variable in {
            "DATABASE_URL",
            "REDIS_URL",
            "OPENAI_API_KEY",
            "SENTRY_DSN",
        }:
            monkeypatch.delenv(variable)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    settings = Settings()

    assert settings.env == "production"
    assert production_problems(settings) == []
    # The mail server it names is one compose starts (or one the operator gives).
    assert settings.smtp_host in compose["services"]
    depends = compose["services"][name]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_compose_passes_the_metrics_token_on_to_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production serves /metrics only behind a token (or on a port of its own): compose must
    let the operator give one, else Prometheus can never scrape the API."""
    token = "scrape-" + "t" * 32
    environment = _environment(
        _compose()["services"]["api"], {**OPERATOR_GIVES, "SHOPBOT_METRICS_TOKEN": token}
    )
    for variable in list(os.environ):
        if variable.startswith("SHOPBOT_"):
            monkeypatch.delenv(variable)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    settings = Settings()
    assert settings.metrics_token is not None and settings.metrics_token.get_secret_value() == token

    without = _environment(_compose()["services"]["api"], OPERATOR_GIVES)
    assert without.get("SHOPBOT_METRICS_TOKEN", "") == ""  # unset: a 404, never open


def test_compose_refuses_to_start_without_the_shared_secrets() -> None:
    api = _compose()["services"]["api"]
    for missing in OPERATOR_GIVES:
        given = {k: v for k, v in OPERATOR_GIVES.items() if k != missing}
        with pytest.raises(LookupError, match=missing):
            _environment(api, given)


def test_compose_migrates_a_pgvector_image_before_anything_starts() -> None:
    services = _compose()["services"]
    assert services["migrate"]["command"] == ["shopbot", "db", "upgrade"]
    assert "pgvector" in services["postgres"]["image"]


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_the_image_is_multi_stage_and_its_runtime_stage_runs_as_a_non_root_user() -> None:
    instructions = _instructions((ROOT / "Dockerfile").read_text())
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert len(starts) >= 2, "a builder stage and a runtime stage"
    final = instructions[starts[-1] :]

    users = [argument.split(":")[0] for keyword, argument in final if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}, users
    assert "builder" in instructions[starts[0]][1].lower()
    # The runtime stage takes the built virtualenv; it neither installs nor copies the context.
    copies = [argument for keyword, argument in final if keyword == "COPY"]
    assert copies and all(argument.startswith("--from=") for argument in copies), copies
    assert not any(keyword == "RUN" and "pip install" in argument for keyword, argument in final)


def test_the_build_context_leaves_out_environments_history_data_and_caches() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    for entry in (
        ".venv",
        ".git",
        ".shopbot",
        "**/node_modules",
        "test-artifacts",
        "**/__pycache__",
        ".pytest_cache",
    ):
        assert entry in ignored, entry


def _workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())


def _job_running(workflow: dict, command: str) -> dict:
    return next(
        job
        for job in workflow["jobs"].values()
        if any(command in step.get("run", "") for step in job["steps"])
    )


def test_the_ci_workflow_gives_ci_run_what_it_expects_of_the_machine() -> None:
    """GitHub's runner is not root and has neither redis-cli nor /usr/bin/chromium: .ci/run
    would try to start Redis itself or apt-get a browser, and fail."""
    job = _job_running(_workflow(), "bash .ci/run")
    runs = [step.get("run", "") for step in job["steps"]]
    ci_run = next(i for i, command in enumerate(runs) if command.strip() == "bash .ci/run")
    before = "\n".join(runs[:ci_run])
    ci_script = (ROOT / ".ci" / "run").read_text()
    assert "redis-cli" in ci_script and "redis-tools" in before
    assert "/usr/bin/chromium" in ci_script and "/usr/bin/chromium" in before
    assert any("redis" in service for service in job["services"])


def test_the_ci_tests_run_on_a_pgvector_service_and_the_browser_job_runs_the_rest() -> None:
    """The test job points the database fixture at the pgvector service container and leaves
    the browser tests to their own job: between them, every test of the suite runs."""
    workflow = _workflow()
    tests = _job_running(workflow, "bash .ci/run")
    assert "pgvector" in tests["services"]["postgres"]["image"]
    assert tests["env"]["TEST_DATABASE_URL"].startswith("postgresql://")
    assert tests["env"]["PYTEST_ADDOPTS"] == '-m "not browser"'
    browser = _job_running(workflow, "pytest -q -m browser")
    assert browser is not tests and "pgvector" in browser["services"]["postgres"]["image"]
    # Playwright drives the runner's Chrome: no step downloads a browser of its own.
    assert not any("playwright install" in step.get("run", "") for step in browser["steps"])
    assert workflow["env"]["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] == "1"


def test_the_ci_eval_gate_compares_the_smoke_suite_with_the_committed_baseline() -> None:
    gate = _job_running(_workflow(), "shopbot eval run --suite smoke")
    command = next(s["run"] for s in gate["steps"] if "eval run" in s.get("run", ""))
    baseline = command.split("--baseline", 1)[1].split()[0]
    assert (ROOT / baseline).is_file(), baseline


def test_every_action_is_pinned_by_its_major_version_and_every_job_has_a_timeout() -> None:
    workflow = _workflow()
    for name, job in workflow["jobs"].items():
        assert job["timeout-minutes"] <= 60, name
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


# The published schemas, as check-jsonschema vendors them (pinned in pyproject.toml and
# constraints.txt): SchemaStore's github-workflow.json, compose-spec's compose-spec.json,
# and its own rule that every workflow job has a timeout. Offline: nothing is downloaded.
WORKFLOW_SCHEMAS = ("vendor.github-workflows", "custom.github-workflows-require-timeout")
COMPOSE_SCHEMA = "vendor.compose-spec"


def _validate(schemas: tuple[str, ...], path: Path) -> list[str]:
    """The schemas `path` fails, each with check-jsonschema's message (its command, run in
    this process: the same checks as the pre-commit hook, without an interpreter per call)."""
    failures = []
    for schema in schemas:
        result = CliRunner().invoke(check_jsonschema, ["--builtin-schema", schema, str(path)])
        if result.exit_code != 0:
            failures.append(f"{schema}: {result.output}")
    return failures


@pytest.mark.parametrize(
    "path", sorted((ROOT / ".github" / "workflows").glob("*.yml")), ids=lambda p: p.name
)
def test_every_workflow_validates_against_the_published_github_workflow_schema(
    path: Path,
) -> None:
    assert _validate(WORKFLOW_SCHEMAS, path) == []


def test_the_compose_file_validates_against_the_published_compose_spec() -> None:
    assert _validate((COMPOSE_SCHEMA,), ROOT / "docker-compose.yml") == []


def _broken_copy(folder: Path, source: Path, line: str, instead: str) -> Path:
    """A copy of `source` with its first `line` replaced (text, so anchors and `on:` stay)."""
    text = source.read_text()
    assert line in text, line
    folder.mkdir()
    copy = folder / source.name
    copy.write_text(text.replace(line, instead, 1))
    return copy


def test_a_broken_workflow_fails_its_schemas(tmp_path: Path) -> None:
    """The check can fail: a job without a runner, and (a second copy) one without a timeout."""
    source = ROOT / ".github" / "workflows" / "ci.yml"
    no_runner = _broken_copy(tmp_path / "a", source, "    runs-on: ubuntu-24.04\n", "")
    no_timeout = _broken_copy(tmp_path / "b", source, "    timeout-minutes: 10\n", "")
    runner = _validate(WORKFLOW_SCHEMAS[:1], no_runner)
    assert len(runner) == 1 and "'runs-on' is a required property" in runner[0], runner
    timeout = _validate(WORKFLOW_SCHEMAS, no_timeout)
    assert [failure.split(":")[0] for failure in timeout] == [WORKFLOW_SCHEMAS[1]], timeout


def test_a_broken_compose_file_fails_the_compose_spec(tmp_path: Path) -> None:
    source = ROOT / "docker-compose.yml"
    broken = _broken_copy(tmp_path / "a", source, "replicas: 2\n", "replica: 2\n")
    failures = _validate((COMPOSE_SCHEMA,), broken)
    assert len(failures) == 1 and "replica" in failures[0], failures
