"""The agent's configuration: read from the environment (and `agent/.env.local`) in this one
module, validated at start, with every problem named at once."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

logger = logging.getLogger("payment_agent.config")

DEFAULT_AGENT_NAME = "payment-reminder-agent"
MIN_SECRET_LENGTH = 16

# Which plugin (an optional extra of this package) serves each provider, and the key it reads.
STT_PROVIDERS = {"deepgram": "livekit.plugins.deepgram", "openai": "livekit.plugins.openai"}
LLM_PROVIDERS = {"openai": "livekit.plugins.openai"}
TTS_PROVIDERS = {"cartesia": "livekit.plugins.cartesia", "openai": "livekit.plugins.openai"}
PROVIDER_KEYS = {"deepgram": "DEEPGRAM_API_KEY", "openai": "OPENAI_API_KEY", "cartesia": "CARTESIA_API_KEY"}


class ConfigError(Exception):
    """The configuration is unusable; `problems` names each variable that is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid agent configuration:\n  - " + "\n  - ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Providers:
    stt: str
    llm: str
    tts: str
    stt_model: str | None = None
    llm_model: str | None = None
    tts_model: str | None = None
    tts_voice: str | None = None


@dataclass(frozen=True)
class AgentConfig:
    webhook_url: str
    webhook_secret: str = field(repr=False)
    webhook_signature_scheme: str
    livekit_url: str
    livekit_api_key: str
    livekit_api_secret: str = field(repr=False)
    agent_name: str
    sip_outbound_trunk_id: str | None
    providers: Providers | None
    ring_timeout_seconds: float
    max_call_duration_seconds: float
    job_executor: str
    load_threshold: float
    http_port: int
    log_level: str


class _Reader:
    """Collects problems instead of stopping at the first, so one start names them all."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def text(self, name: str, default: str | None = None, *, required: bool = True) -> str | None:
        raw = self.env.get(name)
        value = raw.strip() if raw is not None else None
        if raw is not None and value != raw:
            # The guide's most common signature failure: a secret pasted with a newline.
            logger.warning("%s had surrounding whitespace; it was trimmed", name)
        if value:
            return value
        if default is not None:
            return default
        if required:
            self.problems.append(f"{name} is required")
        return None

    def url(self, name: str, schemes: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.text(name, default)
        if value is None:
            return None
        parsed = urlparse(value)
        if parsed.scheme not in schemes or not parsed.netloc:
            self.problems.append(f"{name} must be a {' or '.join(schemes)} URL, got {value!r}")
        return value

    def number(self, name: str, default: float, *, minimum: float) -> float:
        value = self.text(name, str(default))
        try:
            parsed = float(value or "")
        except ValueError:
            self.problems.append(f"{name} must be a number, got {value!r}")
            return default
        if parsed < minimum:
            self.problems.append(f"{name} must be at least {minimum:g}, got {parsed:g}")
        return parsed

    def choice(self, name: str, options: Mapping[str, object] | tuple[str, ...], default: str | None = None) -> str | None:
        value = self.text(name, default)
        if value is not None and value not in options:
            self.problems.append(f"{name} must be one of {', '.join(options)}, got {value!r}")
            return None
        return value


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # raised, not None, when no plugin at all is installed (no livekit.plugins)
        return False


def _providers(read: _Reader) -> Providers | None:
    stt = read.choice("STT_PROVIDER", STT_PROVIDERS)
    llm = read.choice("LLM_PROVIDER", LLM_PROVIDERS)
    tts = read.choice("TTS_PROVIDER", TTS_PROVIDERS)
    for variable, provider, modules in (("STT_PROVIDER", stt, STT_PROVIDERS), ("LLM_PROVIDER", llm, LLM_PROVIDERS), ("TTS_PROVIDER", tts, TTS_PROVIDERS)):
        if provider is None:
            continue
        if not _installed(modules[provider]):
            read.problems.append(f"{variable}={provider} needs its plugin: pip install 'payment-agent[{provider}]'")
        read.text(PROVIDER_KEYS[provider])  # each plugin reads its key from the environment itself
    if stt is None or llm is None or tts is None:
        return None
    return Providers(
        stt=stt,
        llm=llm,
        tts=tts,
        stt_model=read.text("STT_MODEL", required=False),
        llm_model=read.text("LLM_MODEL", required=False),
        tts_model=read.text("TTS_MODEL", required=False),
        tts_voice=read.text("TTS_VOICE", required=False),
    )


def load_config(env: Mapping[str, str], *, telephony: bool = True) -> AgentConfig:
    """The configuration, or ConfigError naming every problem.

    `telephony=False` is for the local stand-ins only (agent/standins): they replace the SIP
    trunk and the speech and model providers, so those settings are not required there.
    """
    read = _Reader(env)
    webhook_url = read.url("WEBHOOK_URL", ("http", "https"))
    secret = read.text("WEBHOOK_SECRET")
    if secret is not None and len(secret) < MIN_SECRET_LENGTH:
        read.problems.append(f"WEBHOOK_SECRET must be at least {MIN_SECRET_LENGTH} characters (openssl rand -hex 32)")
    scheme = read.choice("WEBHOOK_SIGNATURE_SCHEME", ("hmac", "standard"), "hmac")
    if scheme == "standard" and secret is not None:
        from .webhooks import standard_webhook_key

        try:
            standard_webhook_key(secret)
        except ValueError as error:
            read.problems.append(f"WEBHOOK_SECRET: {error}")
    livekit_url = read.url("LIVEKIT_URL", ("ws", "wss", "http", "https"))
    api_key = read.text("LIVEKIT_API_KEY")
    api_secret = read.text("LIVEKIT_API_SECRET")
    agent_name = read.text("LIVEKIT_AGENT_NAME", DEFAULT_AGENT_NAME)
    trunk = read.text("SIP_OUTBOUND_TRUNK_ID", required=telephony)
    if trunk is not None and not trunk.startswith("ST_"):
        read.problems.append(f"SIP_OUTBOUND_TRUNK_ID must be an outbound trunk id (ST_…), got {trunk!r}")
    providers = _providers(read) if telephony else None
    ring_timeout = read.number("CALL_RING_TIMEOUT_SECONDS", 30, minimum=1)
    max_duration = read.number("CALL_MAX_DURATION_SECONDS", 600, minimum=10)
    executor = read.choice("AGENT_JOB_EXECUTOR", ("process", "thread"), "process")
    # The worker's CPU load (0–1) above which it takes no new call; `inf`: never full (local stacks
    # on a busy 2-core machine, where other processes' load would otherwise turn calls away).
    load_threshold = read.number("AGENT_LOAD_THRESHOLD", 0.7, minimum=0.05)
    http_port = read.number("AGENT_HTTP_PORT", 8081, minimum=0)
    if http_port != int(http_port) or http_port > 65535:
        read.problems.append(f"AGENT_HTTP_PORT must be a port number, got {http_port:g}")
    log_level = read.choice("AGENT_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")

    if read.problems:
        raise ConfigError(read.problems)
    assert webhook_url and secret and scheme and livekit_url and api_key and api_secret and agent_name
    assert executor and log_level
    return AgentConfig(
        webhook_url=webhook_url,
        webhook_secret=secret,
        webhook_signature_scheme=scheme,
        livekit_url=livekit_url,
        livekit_api_key=api_key,
        livekit_api_secret=api_secret,
        agent_name=agent_name,
        sip_outbound_trunk_id=trunk,
        providers=providers,
        ring_timeout_seconds=ring_timeout,
        max_call_duration_seconds=max_duration,
        job_executor=executor,
        load_threshold=load_threshold,
        http_port=int(http_port),
        log_level=log_level,
    )
