"""Prompt assembly: system prompt, numbered live-fact sources, fenced data, history budget."""

from __future__ import annotations

from engine.prompts.builder import PromptBundle, build_messages
from engine.prompts.fencing import FENCE_CLOSE, FENCE_OPEN, fence, neutralise
from engine.prompts.system_prompt import build_system_prompt

__all__ = [
    "FENCE_CLOSE",
    "FENCE_OPEN",
    "PromptBundle",
    "build_messages",
    "build_system_prompt",
    "fence",
    "neutralise",
]
