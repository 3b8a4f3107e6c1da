import pytest

from payment_agent.config import ConfigError, load_config

BASE = {
    "WEBHOOK_URL": "http://127.0.0.1:3000/api/webhooks/call-status",
    "WEBHOOK_SECRET": "dev-webhook-secret",
    "LIVEKIT_URL": "ws://127.0.0.1:7880",
    "LIVEKIT_API_KEY": "devkey",
    "LIVEKIT_API_SECRET": "secret",
}


def test_the_local_stand_ins_need_only_the_webhook_and_livekit():
    config = load_config(BASE, telephony=False)
    assert config.agent_name == "payment-reminder-agent"
    assert config.webhook_signature_scheme == "hmac"
    assert config.ring_timeout_seconds == 30
    assert config.sip_outbound_trunk_id is None and config.providers is None


def test_an_empty_environment_names_every_missing_variable():
    with pytest.raises(ConfigError) as caught:
        load_config({})
    problems = caught.value.problems
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET", "LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "SIP_OUTBOUND_TRUNK_ID", "STT_PROVIDER", "LLM_PROVIDER", "TTS_PROVIDER"):
        assert f"{name} is required" in problems
    assert "LIVEKIT_AGENT_NAME is required" not in problems


def test_malformed_values_are_each_named():
    env = {
        **BASE,
        "WEBHOOK_URL": "call-status",
        "WEBHOOK_SECRET": "short",
        "LIVEKIT_URL": "ftp://x",
        "SIP_OUTBOUND_TRUNK_ID": "trunk-1",
        "STT_PROVIDER": "whisper",
        "CALL_RING_TIMEOUT_SECONDS": "soon",
        "CALL_MAX_DURATION_SECONDS": "5",
        "WEBHOOK_SIGNATURE_SCHEME": "rsa",
        "AGENT_JOB_EXECUTOR": "fiber",
    }
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    text = str(caught.value)
    for expected in (
        "WEBHOOK_URL must be a http or https URL",
        "WEBHOOK_SECRET must be at least 16 characters",
        "LIVEKIT_URL must be a ws or wss or http or https URL",
        "SIP_OUTBOUND_TRUNK_ID must be an outbound trunk id",
        "STT_PROVIDER must be one of deepgram, openai, got 'whisper'",
        "CALL_RING_TIMEOUT_SECONDS must be a number, got 'soon'",
        "CALL_MAX_DURATION_SECONDS must be at least 10, got 5",
        "WEBHOOK_SIGNATURE_SCHEME must be one of hmac, standard",
        "AGENT_JOB_EXECUTOR must be one of process, thread",
    ):
        assert expected in text


def test_a_chosen_provider_needs_its_plugin_and_its_key(monkeypatch):
    import payment_agent.config as config_module

    monkeypatch.setattr(config_module.importlib.util, "find_spec", lambda name: None)
    env = {**BASE, "SIP_OUTBOUND_TRUNK_ID": "ST_abc", "STT_PROVIDER": "deepgram", "LLM_PROVIDER": "openai", "TTS_PROVIDER": "cartesia"}
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    problems = caught.value.problems
    assert "STT_PROVIDER=deepgram needs its plugin: pip install 'payment-agent[deepgram]'" in problems
    assert "DEEPGRAM_API_KEY is required" in problems
    assert "OPENAI_API_KEY is required" in problems
    assert "CARTESIA_API_KEY is required" in problems


def test_with_no_provider_plugin_installed_at_all_the_problem_is_named_not_raised(monkeypatch):
    import payment_agent.config as config_module

    def no_plugins_package(name):
        raise ModuleNotFoundError(f"No module named {name.rsplit('.', 1)[0]!r}")

    monkeypatch.setattr(config_module.importlib.util, "find_spec", no_plugins_package)
    env = {**BASE, "SIP_OUTBOUND_TRUNK_ID": "ST_abc", "STT_PROVIDER": "deepgram", "LLM_PROVIDER": "openai", "TTS_PROVIDER": "cartesia"}
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    assert "LLM_PROVIDER=openai needs its plugin: pip install 'payment-agent[openai]'" in caught.value.problems


def test_a_secret_with_surrounding_whitespace_is_trimmed_and_warned_about_by_name(caplog):
    config = load_config({**BASE, "WEBHOOK_SECRET": "  dev-webhook-secret\n"}, telephony=False)
    assert config.webhook_secret == "dev-webhook-secret"
    assert "WEBHOOK_SECRET had surrounding whitespace" in caplog.text
    assert "dev-webhook-secret" not in caplog.text


def test_the_secret_never_shows_in_the_configs_repr():
    assert "dev-webhook-secret" not in repr(load_config(BASE, telephony=False))


def test_the_standard_scheme_checks_a_whsec_secret():
    with pytest.raises(ConfigError, match="not valid base64"):
        load_config({**BASE, "WEBHOOK_SIGNATURE_SCHEME": "standard", "WEBHOOK_SECRET": "whsec_*not*base64*here*"}, telephony=False)
