"""STAND-IN for the SIP leg: a simulated callee that joins the room as the customer would when
they pick up (after a delay), or never answers, or is busy, and may hang up early. It speaks
in text: once the agent has greeted it, it sends its scripted line on the chat topic the
session listens to. It implements the production `Dialer`, and waits with the production
`wait_for_callee`, so the job's ring timeout applies as it does to a real call."""

from __future__ import annotations

import asyncio
import logging

from livekit import api, rtc
from livekit.agents import JobContext

from payment_agent.dialing import CallNotConnected, callee_identity, wait_for_callee
from payment_agent.metadata import CallJob
from payment_agent.outcomes import sip_failure

from .scripts import CallScript, CallScripts

logger = logging.getLogger("standins.callee")

CHAT_TOPIC = "lk.chat"
TRANSCRIPTION_TOPIC = "lk.transcription"
SESSION_TOPIC = "lk.agent.session"


class SimulatedCallee:
    def __init__(self, url: str, api_key: str, api_secret: str, script: CallScript, identity: str) -> None:
        self._url, self._api_key, self._api_secret = url, api_key, api_secret
        self._script = script
        self._identity = identity
        self.room = rtc.Room()
        self._spoke = False
        self._tasks: set[asyncio.Task[None]] = set()

    def _token(self, room_name: str) -> str:
        grants = api.VideoGrants(room_join=True, room=room_name)
        return api.AccessToken(self._api_key, self._api_secret).with_identity(self._identity).with_grants(grants).to_jwt()

    def _spawn(self, coroutine: object) -> None:
        task = asyncio.ensure_future(coroutine)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def answer(self, room_name: str) -> None:
        await asyncio.sleep(self._script.answer_after_ms / 1000)
        self.room.register_text_stream_handler(TRANSCRIPTION_TOPIC, self._on_agent_text)
        # The agent's session state, for a client UI; a phone has none.
        self.room.register_byte_stream_handler(SESSION_TOPIC, lambda reader, sender: None)
        await self.room.connect(self._url, self._token(room_name))
        logger.info("simulated callee answered")

    def _on_agent_text(self, reader: rtc.TextStreamReader, sender: str) -> None:
        self._spawn(self._reply_once(reader))

    async def _reply_once(self, reader: rtc.TextStreamReader) -> None:
        await reader.read_all()
        # Only the greeting is answered: the rest of the call is the model's tools and its goodbye.
        if self._spoke:
            return
        self._spoke = True
        if self._script.hangs_up_after_ms is not None:
            await self._hang_up_after(self._script.hangs_up_after_ms / 1000)
        elif self._script.says:
            await self.room.local_participant.send_text(self._script.says, topic=CHAT_TOPIC)

    async def _hang_up_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        logger.info("simulated callee hangs up")
        await self.room.disconnect()

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self.room.disconnect()


class SimulatedCalleeDialer:
    def __init__(self, scripts: CallScripts, url: str, api_key: str, api_secret: str) -> None:
        self._scripts = scripts
        self._url, self._api_key, self._api_secret = url, api_key, api_secret

    async def dial(self, ctx: JobContext, job: CallJob, ring_timeout: float) -> rtc.RemoteParticipant:
        script = self._scripts.for_call(job.phone_number, job.attempt)
        if script.callee == "busy":
            await asyncio.sleep(script.answer_after_ms / 1000)
            raise CallNotConnected(sip_failure(486, "Busy Here"))
        identity = callee_identity(job)
        if script.callee == "answers":
            callee = SimulatedCallee(self._url, self._api_key, self._api_secret, script, identity)
            ctx.add_shutdown_callback(lambda reason: callee.close())
            answering = asyncio.ensure_future(callee.answer(ctx.room.name))
            ctx.add_shutdown_callback(lambda reason: _cancel(answering))
        return await wait_for_callee(ctx, identity, ring_timeout)


async def _cancel(task: asyncio.Future[None]) -> None:
    task.cancel()
