"""The judge's model call (`evals.answers.judge.Complete`): chat messages in, text out, on the
config's OpenAI-compatible endpoint, at temperature 0 (the same verdict run to run, as far
as the endpoint allows)."""

from __future__ import annotations

from evals.answers.config import ModelEndpoint
from evals.answers.judge import Complete

JUDGE_TIMEOUT_S = 60.0


def judge_complete(endpoint: ModelEndpoint) -> Complete:
    import openai

    client = openai.AsyncOpenAI(
        api_key=endpoint.api_key(), base_url=endpoint.base_url, timeout=JUDGE_TIMEOUT_S
    )

    async def complete(messages: list[dict[str, str]]) -> str:
        reply = await client.chat.completions.create(
            model=endpoint.model,
            messages=messages,  # type: ignore[arg-type]  # role/content dicts, as the API takes
            temperature=0,
        )
        return reply.choices[0].message.content or ""

    return complete
