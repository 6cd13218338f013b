"""The replicas and their proxy, checked by reading docker-compose.yml and deploy/nginx.conf
(neither Docker nor nginx runs here): the proxy is the only way in and reaches every API
replica, answers stream through it unbuffered, and every process is given longer to stop
than it takes to stop cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from api.chat.streaming import HEARTBEAT_SECONDS

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"

Block = dict[str, list]  # directive name -> list of (arguments, block or None)


def _parse_nginx(text: str) -> Block:
    """nginx's syntax, enough to read our file: directives end with `;`, blocks are `{}`
    (no quoted braces or semicolons in it). Unbalanced braces or a directive without its
    `;` raise, as `nginx -t` would refuse them."""
    tokens = re.findall(r'"[^"]*"|[{};]|[^\s{};"]+', re.sub(r"#[^\n]*", "", text))
    stack: list[Block] = [{}]
    words: list[str] = []
    for token in tokens:
        if token == ";":
            stack[-1].setdefault(words[0], []).append((words[1:], None))
            words = []
        elif token == "{":
            block: Block = {}
            stack[-1].setdefault(words[0], []).append((words[1:], block))
            stack.append(block)
            words = []
        elif token == "}":
            if words or len(stack) == 1:
                raise ValueError(f"unexpected '}}' after {words}")
            stack.pop()
        else:
            words.append(token.strip('"'))
    if words or len(stack) != 1:
        raise ValueError("unterminated directive or block")
    return stack[0]


def _one(block: Block, name: str) -> tuple[list[str], Block | None]:
    entries = block[name]
    assert len(entries) == 1, (name, entries)
    return entries[0]


def _seconds(value: str) -> float:
    number, unit = re.fullmatch(r"(\d+)(ms|s|m)?", value).groups()  # type: ignore[union-attr]
    return int(number) * {"ms": 0.001, "s": 1, "m": 60, None: 1}[unit]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def http() -> Block:
    _, block = _one(_parse_nginx(NGINX_CONF.read_text()), "http")
    assert block is not None
    return block


def _locations(http: Block) -> dict[str, Block]:
    _, server = _one(http, "server")
    assert server is not None
    return {" ".join(arguments): block for arguments, block in server["location"]}


def test_the_parser_refuses_what_nginx_would() -> None:
    with pytest.raises(ValueError):
        _parse_nginx("http { server { listen 80; }")
    with pytest.raises(ValueError):
        _parse_nginx("http { listen 80 }")


def test_the_proxy_is_the_only_way_in_and_reaches_every_api_replica(
    compose: dict, http: Block
) -> None:
    services = compose["services"]
    proxy = services["proxy"]
    assert re.match(r"(nginx|haproxy|traefik):", proxy["image"])
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert proxy["depends_on"]["api"]["condition"] == "service_healthy"
    assert "ports" not in services["api"]
    assert services["api"]["deploy"]["replicas"] >= 2

    # The upstream names the api service on the port its command binds, re-resolved so
    # every replica (and a recreated one) is in it.
    command = services["api"]["command"]
    port = command[command.index("--port") + 1]
    _, upstream = _one(http, "upstream")
    assert upstream is not None
    (server_arguments, _) = _one(upstream, "server")
    assert server_arguments[0] == f"api:{port}" and "resolve" in server_arguments
    assert _one(http, "resolver")[0][0] == "127.0.0.11"  # Docker's embedded DNS
    listen = _one(_one(http, "server")[1] or {}, "listen")[0][0]
    assert any(mapping.endswith(f":{listen}") for mapping in proxy["ports"])


def test_answers_stream_through_unbuffered_and_outlive_the_heartbeat(http: Block) -> None:
    chat = _locations(http)["= /widget/v1/chat"]
    assert _one(chat, "proxy_buffering")[0] == ["off"]
    assert _one(chat, "gzip")[0] == ["off"]
    # The server pings every HEARTBEAT_SECONDS: a read timeout far above it ends only
    # streams that are really dead.
    assert _seconds(_one(chat, "proxy_read_timeout")[0][0]) >= 10 * HEARTBEAT_SECONDS


def test_the_proxy_replaces_the_forwarded_address_the_api_trusts(
    compose: dict, http: Block
) -> None:
    """The API trusts X-Forwarded-For from any peer (FORWARDED_ALLOW_IPS=*) and takes its
    first address: the proxy must overwrite the header, never append to what a client sent."""
    assert compose["services"]["api"]["environment"]["FORWARDED_ALLOW_IPS"] == "*"
    headers = {arguments[0]: arguments[1] for arguments, _ in http["proxy_set_header"]}
    assert headers["X-Forwarded-For"] == "$remote_addr"


def test_every_process_gets_longer_to_stop_than_it_takes_to_stop_cleanly(
    compose: dict,
) -> None:
    services = compose["services"]
    api = services["api"]
    default_grace = re.fullmatch(
        r"\$\{SHOPBOT_SHUTDOWN_GRACE_S:-(\d+)\}", api["environment"]["SHOPBOT_SHUTDOWN_GRACE_S"]
    )
    assert default_grace is not None
    grace = int(default_grace.group(1))
    proxy_drain = _seconds(
        _one(_parse_nginx(NGINX_CONF.read_text()), "worker_shutdown_timeout")[0][0]
    )
    # Streams get `grace` to finish, then a clean error event; the server itself waits
    # grace + 5 s (cli.graceful_server); Docker's SIGKILL must come after that.
    assert _seconds(api["stop_grace_period"]) > grace + 5
    # The proxy keeps an open answer as long as the API does, and is itself given longer.
    assert grace <= proxy_drain < _seconds(services["proxy"]["stop_grace_period"])
    for worker in ("worker", "worker-webhooks"):
        assert _seconds(services[worker]["stop_grace_period"]) >= 30, worker


def test_webhooks_have_a_worker_of_their_own_and_there_is_one_beat(compose: dict) -> None:
    services = compose["services"]
    webhooks = services["worker-webhooks"]["command"]
    assert webhooks[:2] == ["shopbot", "worker"]
    assert webhooks[webhooks.index("--queues") + 1] == "webhooks"
    assert "--queues" not in services["worker"]["command"]  # the general one takes all
    assert services["beat"]["deploy"]["replicas"] == 1
