#!/usr/bin/env bash
# Installs the Python voice agent (agent/) and its pinned dependencies into .tools/agent-venv
# (git-ignored), from agent/constraints.txt. Idempotent: the stamp is a hash of the agent's
# pyproject.toml and constraints.txt, so a later run reuses the venv until either changes.
#
#   AGENT_EXTRAS   extras to install beside `test` (default none: locally the stand-ins replace
#                  the providers); e.g. AGENT_EXTRAS=providers,silero for the real speech stack
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
venv="$tools/agent-venv"
extras="test${AGENT_EXTRAS:+,$AGENT_EXTRAS}"
mkdir -p "$tools/stamps"

fail() { echo "install-agent: FAILED: $1" >&2; exit 1; }

python="${AGENT_PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null \
  || fail "the agent needs Python >= 3.11 ($python is $("$python" --version 2>&1))"

want="$(cat "$root/agent/pyproject.toml" "$root/agent/constraints.txt" | sha256sum | cut -c1-16)+$extras"
if [ -f "$tools/stamps/agent" ] && [ "$(cat "$tools/stamps/agent")" = "$want" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi

echo "install-agent: installing the voice agent (livekit-agents, pinned) into $venv (first time: about a minute, ~400 MB)"
started=$SECONDS
rm -rf "$venv"
"$python" -m venv "$venv" || fail "python -m venv failed (is python3-venv installed?)"
"$venv/bin/pip" install --quiet --disable-pip-version-check -c "$root/agent/constraints.txt" -e "$root/agent[$extras]" \
  || fail "pip install of agent[$extras] with agent/constraints.txt failed"
"$venv/bin/python" -c 'import livekit.agents, payment_agent' || fail "the installed agent does not import"
echo "$want" > "$tools/stamps/agent"
echo "install-agent: ready in $((SECONDS - started)) s"
