"""The production worker with the stand-ins in place of the SIP trunk and the providers: the
same `run_call`, `AgentSession`, tools and webhook client; a text-only session (no audio in or
out) whose model is the scripted one, and a simulated callee for the SIP leg. A number scripted
`no_agent` is declined, so no agent ever reports on it (the backend's timeout path)."""

from __future__ import annotations

import json
import os
import sys

from dotenv import load_dotenv
from livekit.agents import AgentSession, JobContext, JobRequest, cli
from livekit.agents.voice import room_io

from payment_agent.call import CallDependencies
from payment_agent.config import AgentConfig, ConfigError, load_config
from payment_agent.metadata import CallJob
from payment_agent.webhooks import WebhookClient
from payment_agent.worker import agent_dir, with_webhook_client, worker_options

from .callee import SimulatedCalleeDialer
from .scripted_llm import ScriptedLLM
from .scripts import CallScripts, parse_scripts

TEXT_ONLY = room_io.RoomOptions(audio_input=False, audio_output=False, text_input=True, text_output=True)


def configuration() -> tuple[AgentConfig, CallScripts]:
    load_dotenv(os.path.join(agent_dir(), ".env.local"), override=False)
    config = load_config(os.environ, telephony=False)
    raw = os.environ.get("AGENT_STANDIN_CALL_SCRIPTS")
    if not raw:
        raise ConfigError(["AGENT_STANDIN_CALL_SCRIPTS is required (the stack that starts the stand-in passes it)"])
    try:
        return config, parse_scripts(raw)
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigError([f"AGENT_STANDIN_CALL_SCRIPTS: {error}"]) from None


def stand_in_dependencies(config: AgentConfig, scripts: CallScripts, webhooks: WebhookClient) -> CallDependencies:
    def new_session(job: CallJob) -> AgentSession:
        return AgentSession(llm=ScriptedLLM(scripts.for_call(job.phone_number, job.attempt), job), max_tool_steps=5)

    return CallDependencies(
        config=config,
        webhooks=webhooks,
        dialer=SimulatedCalleeDialer(scripts, config.livekit_url, config.livekit_api_key, config.livekit_api_secret),
        new_session=new_session,
        room_options=TEXT_ONLY,
    )


async def entrypoint(ctx: JobContext) -> None:
    config, scripts = configuration()
    await with_webhook_client(config, ctx, lambda webhooks: stand_in_dependencies(config, scripts, webhooks))


async def request(job_request: JobRequest) -> None:
    _, scripts = configuration()
    try:
        metadata = json.loads(job_request.job.metadata)
        script = scripts.for_call(str(metadata.get("phone_number")), int(metadata.get("attempt", 1)))
    except (ValueError, TypeError, AttributeError):
        script = None  # bad metadata is the production job's to report
    if script is not None and script.callee == "no_agent":
        await job_request.reject()
        return
    await job_request.accept()


def main() -> None:
    try:
        config, _ = configuration()
    except ConfigError as error:
        print(f"payment-agent stand-in: {error}", file=sys.stderr)
        sys.exit(2)
    if len(sys.argv) == 1:
        sys.argv.append("start")
    options = worker_options(config, entrypoint)
    options.request_fnc = request
    cli.run_app(options)
