"""STAND-IN for the model provider: an `llm.LLM` that answers from the call's script. Before the
callee has spoken it greets them; after that it calls the script's tools one per turn, in
order, and once they are all done it says goodbye. It sees only what a real model sees: the
chat context and the tools the session offers."""

from __future__ import annotations

import json
import uuid
from typing import Any

from livekit.agents import APIConnectOptions, llm
from livekit.agents.llm import ChatChunk, ChoiceDelta, FunctionToolCall
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, NotGivenOr

from payment_agent.metadata import CallJob

from .scripts import CallScript


class ScriptedLLM(llm.LLM):
    def __init__(self, script: CallScript, job: CallJob) -> None:
        super().__init__()
        self._script = script
        self._job = job
        self._greeting = (
            f"Hello {job.customer_name}, this is a reminder that {job.amount_due} is due on {job.due_date} (reference {job.reference})."
        )

    @property
    def model(self) -> str:
        return "scripted"

    @property
    def provider(self) -> str:
        return "stand-in"

    def chat(
        self,
        *,
        chat_ctx: llm.ChatContext,
        tools: list[llm.Tool] | None = None,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
        parallel_tool_calls: NotGivenOr[bool] = NOT_GIVEN,
        tool_choice: NotGivenOr[llm.ToolChoice] = NOT_GIVEN,
        extra_kwargs: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> llm.LLMStream:
        return _ScriptedStream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)

    def next_turn(self, chat_ctx: llm.ChatContext, offered: set[str]) -> str | FunctionToolCall:
        items = chat_ctx.items
        heard = any(getattr(item, "type", None) == "message" and getattr(item, "role", None) == "user" for item in items)
        if not heard:
            return self._greeting
        done = sum(1 for item in items if getattr(item, "type", None) == "function_call_output")
        if done < len(self._script.tools):
            tool = self._script.tools[done]
            if tool.name not in offered:
                raise ValueError(f"the script calls {tool.name}, which the agent does not offer")
            arguments = json.dumps(tool.arguments_for(self._job.due_date))
            return FunctionToolCall(name=tool.name, arguments=arguments, call_id=f"call_{uuid.uuid4().hex[:12]}")
        return "Thank you for your time. Goodbye."


class _ScriptedStream(llm.LLMStream):
    async def _run(self) -> None:
        assert isinstance(self._llm, ScriptedLLM)
        offered = {tool.info.name for tool in self._tools if hasattr(tool, "info")}
        turn = self._llm.next_turn(self._chat_ctx, offered)
        delta = ChoiceDelta(role="assistant", content=turn) if isinstance(turn, str) else ChoiceDelta(role="assistant", tool_calls=[turn])
        self._event_ch.send_nowait(ChatChunk(id=f"scripted_{uuid.uuid4().hex[:12]}", delta=delta))
