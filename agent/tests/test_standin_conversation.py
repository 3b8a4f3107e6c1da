"""The production conversation (agent, tools, AgentSession) driven by the stand-ins' scripted
model, in process and without a room: what the model's tool calls record."""

import asyncio

from livekit.agents import AgentSession

from payment_agent.conversation import CallRecord, PaymentReminderAgent
from payment_agent.metadata import parse_metadata
from standins.scripted_llm import ScriptedLLM
from standins.scripts import CallScript, ToolCall

from .test_metadata import dispatch

JOB = parse_metadata(dispatch())


async def converse(script: CallScript, user_says: str):
    record, reports = CallRecord(), []

    async def report(event):
        reports.append(event)

    session = AgentSession(llm=ScriptedLLM(script, JOB), max_tool_steps=5)
    closed = asyncio.Event()
    session.on("close", lambda event: closed.set())
    await session.start(PaymentReminderAgent(JOB, record, report, elapsed=lambda: 12.0))
    result = await session.run(user_input=user_says)
    await asyncio.wait_for(closed.wait(), 5)
    return record, reports, result


async def test_the_scripted_model_records_the_outcome_and_ends_the_call():
    script = CallScript(
        callee="answers",
        tools=(ToolCall("record_outcome", {"customer_response": "will_pay_today", "notes": "scripted"}), ToolCall("end_call")),
    )
    record, reports, _ = await converse(script, "Yes, I will pay it today.")
    assert record.outcome is not None
    assert (record.outcome.customer_response, record.outcome.notes, record.outcome.duration) == ("will_pay_today", "scripted", 12.0)
    assert record.ended_by_agent
    assert reports == []


async def test_a_promise_is_dated_from_the_due_date():
    script = CallScript(
        callee="answers",
        tools=(ToolCall("record_outcome", {"customer_response": "promise_to_pay"}, promised_days_after_due=5), ToolCall("end_call")),
    )
    record, _, _ = await converse(script, "In five days.")
    assert record.outcome is not None
    assert (record.outcome.customer_response, record.outcome.promised_date) == ("promise_to_pay", "2026-12-06")


async def test_an_opt_out_is_reported_at_once():
    script = CallScript(callee="answers", tools=(ToolCall("record_opt_out", {"notes": "stop calling"}), ToolCall("end_call")))
    record, reports, _ = await converse(script, "Please stop calling me.")
    assert record.opted_out and record.outcome is None
    assert reports == [{"reminder_id": JOB.reminder_id, "event_type": "opt_out_requested", "attempt": 2, "notes": "stop calling"}]
