"""The speech-to-text, model and text-to-speech providers, chosen by configuration. Each plugin is
an optional extra of this package, imported only when chosen."""

from __future__ import annotations

import importlib
from typing import Any

from livekit.agents import AgentSession

from .config import Providers


def _plugin(name: str) -> Any:
    return importlib.import_module(f"livekit.plugins.{name}")


def _options(**values: str | None) -> dict[str, str]:
    return {key: value for key, value in values.items() if value}


def build_session(providers: Providers, max_tool_steps: int = 5) -> AgentSession:
    stt = _plugin(providers.stt).STT(**_options(model=providers.stt_model))
    llm = _plugin(providers.llm).LLM(**_options(model=providers.llm_model))
    tts = _plugin(providers.tts).TTS(**_options(model=providers.tts_model, voice=providers.tts_voice))
    return AgentSession(stt=stt, llm=llm, tts=tts, max_tool_steps=max_tool_steps)
