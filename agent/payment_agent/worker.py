"""The livekit-agents worker: registered under LIVEKIT_AGENT_NAME for explicit dispatch only (the
backend's dispatchCall names it), one job per call.

The framework runs each job in its own process by default, so one call's crash cannot take the
worker or the other calls down, and on SIGTERM (`start` mode) it drains: it takes no new jobs
and waits for the calls under way to finish before it exits.
"""

from __future__ import annotations

import math
import os
from collections.abc import Awaitable, Callable

import aiohttp
from livekit.agents import JobContext, JobExecutorType, WorkerOptions
from livekit.agents.voice import room_io

from .call import CallDependencies, run_call
from .config import AgentConfig
from .dialing import SipDialer
from .providers import build_session
from .webhooks import WebhookClient, aiohttp_post

# A drain waits for calls to end: the longest is the maximum duration plus its reports' retries.
DRAIN_MARGIN_SECONDS = 60


def _no_load() -> float:
    return 0.0


def worker_options(config: AgentConfig, entrypoint: Callable[[JobContext], Awaitable[None]]) -> WorkerOptions:
    # LiveKit offers a job only to a worker whose reported load is under the server's target, so
    # a worker that is never full must also report no load: on a busy machine the CPU figure
    # alone would keep the server from offering it calls.
    never_full = math.isinf(config.load_threshold)
    return WorkerOptions(
        entrypoint_fnc=entrypoint,
        **({"load_fnc": _no_load} if never_full else {}),
        agent_name=config.agent_name,
        ws_url=config.livekit_url,
        api_key=config.livekit_api_key,
        api_secret=config.livekit_api_secret,
        job_executor_type=JobExecutorType.THREAD if config.job_executor == "thread" else JobExecutorType.PROCESS,
        load_threshold=config.load_threshold,
        drain_timeout=int(config.max_call_duration_seconds + DRAIN_MARGIN_SECONDS),
        port=config.http_port,
        host="127.0.0.1" if config.http_port == 0 else "",
        log_level=config.log_level,
    )


async def with_webhook_client(config: AgentConfig, ctx: JobContext, build: Callable[[WebhookClient], CallDependencies]) -> None:
    """Runs the call with an HTTP session that lives as long as the job."""
    async with aiohttp.ClientSession() as http:
        webhooks = WebhookClient(secret=config.webhook_secret, post=aiohttp_post(http), scheme=config.webhook_signature_scheme)
        await run_call(ctx, build(webhooks))


def production_dependencies(config: AgentConfig, webhooks: WebhookClient) -> CallDependencies:
    assert config.sip_outbound_trunk_id is not None and config.providers is not None
    providers = config.providers
    return CallDependencies(
        config=config,
        webhooks=webhooks,
        dialer=SipDialer(config.sip_outbound_trunk_id, config.max_call_duration_seconds),
        new_session=lambda job: build_session(providers),
        room_options=room_io.RoomOptions(),
    )


def agent_dir() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
