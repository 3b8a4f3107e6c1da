"""The call scripts, by phone number and attempt. They are defined once, in TypeScript
(dev/standins/scripted-numbers.ts), and handed to this process as JSON in
AGENT_STANDIN_CALL_SCRIPTS by the stack that starts it (dev/standins/voice-agent.ts)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

CALLEE_BEHAVIOURS = ("answers", "never_answers", "busy", "no_agent")


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    # Adds promised_date this many days after the reminder's due date (the workflow's clock may
    # run ahead of this process's, on the time-skipping server).
    promised_days_after_due: int | None = None

    def arguments_for(self, due_date: str) -> dict[str, Any]:
        if self.promised_days_after_due is None:
            return dict(self.arguments)
        promised = date.fromisoformat(due_date) + timedelta(days=self.promised_days_after_due)
        return {**self.arguments, "promised_date": promised.isoformat()}


@dataclass(frozen=True)
class CallScript:
    """One attempt of a call: what the callee does, what they say, which tools the model calls."""

    callee: str
    answer_after_ms: int = 300
    says: str = ""
    hangs_up_after_ms: int | None = None
    tools: tuple[ToolCall, ...] = ()


@dataclass(frozen=True)
class CallScripts:
    unscripted: tuple[CallScript, ...]
    numbers: dict[str, tuple[CallScript, ...]]

    def for_call(self, phone_number: str, attempt: int) -> CallScript:
        """The script for this attempt; the last scripted attempt repeats for later ones."""
        attempts = self.numbers.get(phone_number, self.unscripted)
        return attempts[min(attempt, len(attempts)) - 1]


def _script(data: dict[str, Any]) -> CallScript:
    if data.get("callee") not in CALLEE_BEHAVIOURS:
        raise ValueError(f"callee must be one of {', '.join(CALLEE_BEHAVIOURS)}, got {data.get('callee')!r}")
    return CallScript(
        callee=data["callee"],
        answer_after_ms=int(data.get("answerAfterMs", 300)),
        says=str(data.get("says", "")),
        hangs_up_after_ms=int(data["hangsUpAfterMs"]) if data.get("hangsUpAfterMs") is not None else None,
        tools=tuple(
            ToolCall(tool["name"], dict(tool.get("arguments", {})), tool.get("promisedDaysAfterDue")) for tool in data.get("tools", [])
        ),
    )


def _attempts(data: list[dict[str, Any]]) -> tuple[CallScript, ...]:
    if not data:
        raise ValueError("a number needs at least one attempt's script")
    return tuple(_script(item) for item in data)


def parse_scripts(raw: str) -> CallScripts:
    data = json.loads(raw)
    return CallScripts(
        unscripted=_attempts(data["unscripted"]),
        numbers={number: _attempts(attempts) for number, attempts in data["numbers"].items()},
    )
