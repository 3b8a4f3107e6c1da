#!/usr/bin/env bash
# Installs what `npm run cluster` runs beside the tools of install-tools.sh, pinned in
# dev/cluster/versions.env, into .tools/ (git-ignored). Idempotent: a tool whose stamp matches
# its pinned version is reused.
#
#   Temporal server (frontend, history, matching, worker services)
#                                  Go  go.temporal.io/server/cmd/server     -> .tools/bin/temporal-server
#   Temporal SQL schema tool       Go  go.temporal.io/server/cmd/tools/sql  -> .tools/bin/temporal-sql-tool
#   Its PostgreSQL schema files    the same module's schema/postgresql/     -> .tools/temporal-schema/postgresql
#   Temporal Web UI server         Go  github.com/temporalio/ui-server/v2/cmd/server -> .tools/bin/temporal-ui-server
#                                  (its assets embedded: the UI the CLI's dev server serves, standalone)
#   PostgreSQL                     Debian's postgresql-<major> package      (/usr/lib/postgresql/<major>/bin)
#
# The server build takes about 7 minutes on two cores the first time (a 160 MB binary).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/stamps"
# shellcheck source=../dev/cluster/versions.env
source "$root/dev/cluster/versions.env"

fail() { echo "install-cluster: FAILED to install $1: $2" >&2; exit 1; }
stamp_ok() { [ -f "$tools/stamps/$1" ] && [ "$(cat "$tools/stamps/$1")" = "$2" ]; }
stamp() { echo "$2" > "$tools/stamps/$1"; }

# --- PostgreSQL (Debian) ------------------------------------------------------------------
pg_bin="/usr/lib/postgresql/$POSTGRES_MAJOR/bin"
if [ ! -x "$pg_bin/postgres" ] || [ ! -x "$pg_bin/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "install-cluster: installing postgresql-$POSTGRES_MAJOR with apt-get"
    apt-get install -y --no-install-recommends "postgresql-$POSTGRES_MAJOR" >/dev/null \
      || (apt-get update >/dev/null && apt-get install -y --no-install-recommends "postgresql-$POSTGRES_MAJOR" >/dev/null) \
      || fail "postgresql-$POSTGRES_MAJOR" "apt-get install failed"
  else
    fail "PostgreSQL $POSTGRES_MAJOR" "$pg_bin/postgres is missing: install Debian's postgresql-$POSTGRES_MAJOR (apt-get install postgresql-$POSTGRES_MAJOR)"
  fi
fi

# --- The Temporal server and its SQL tool (Go module proxy) -------------------------------
want="$TEMPORAL_SERVER_VERSION+$TEMPORAL_SERVER_GOTOOLCHAIN"
schema="$tools/temporal-schema"
if ! stamp_ok temporal-server "$want" || [ ! -x "$tools/bin/temporal-server" ] \
   || [ ! -x "$tools/bin/temporal-sql-tool" ] || [ ! -d "$schema/postgresql" ]; then
  command -v go >/dev/null || fail "the Temporal server" "the go toolchain is not on PATH"
  echo "install-cluster: building the Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool from the Go module proxy (first time: about 7 minutes on two cores)"
  started=$SECONDS
  module="go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
  # One `go install` for both, so they share one build of the module.
  (mkdir -p "$tools/gobin" && cd "$tools" && GOTOOLCHAIN="$TEMPORAL_SERVER_GOTOOLCHAIN" GOBIN="$tools/gobin" \
      CGO_ENABLED=0 go install -trimpath \
      "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
      "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION") \
    || fail "Go module $module" "go install failed"
  mv "$tools/gobin/server" "$tools/bin/temporal-server"
  mv "$tools/gobin/sql" "$tools/bin/temporal-sql-tool"
  # The schema files, copied out of the module cache (which `go clean -modcache` empties).
  dir="$(cd "$tools" && GOTOOLCHAIN="$TEMPORAL_SERVER_GOTOOLCHAIN" go mod download -json "$module" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')" \
    || fail "Go module $module" "go mod download failed"
  rm -rf "$schema" && mkdir -p "$schema" && cp -r "$dir/schema/postgresql" "$schema/" && chmod -R u+w "$schema"
  stamp temporal-server "$want"
  echo "install-cluster: built the Temporal server in $(( (SECONDS - started) / 60 )) m $(( (SECONDS - started) % 60 )) s"
fi

if ! stamp_ok temporal-ui "$TEMPORAL_UI_VERSION" || [ ! -x "$tools/bin/temporal-ui-server" ]; then
  command -v go >/dev/null || fail "the Temporal Web UI" "the go toolchain is not on PATH"
  echo "install-cluster: building the Temporal Web UI server $TEMPORAL_UI_VERSION from the Go module proxy (first time: about a minute)"
  (mkdir -p "$tools/gobin" && cd "$tools" && GOTOOLCHAIN="$TEMPORAL_SERVER_GOTOOLCHAIN" GOBIN="$tools/gobin" \
      CGO_ENABLED=0 go install -trimpath "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_VERSION") \
    || fail "Go module github.com/temporalio/ui-server/v2@$TEMPORAL_UI_VERSION" "go install failed"
  mv "$tools/gobin/server" "$tools/bin/temporal-ui-server"
  stamp temporal-ui "$TEMPORAL_UI_VERSION"
fi

echo "install-cluster: ready (Temporal server $TEMPORAL_SERVER_VERSION, Web UI $TEMPORAL_UI_VERSION, PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'))"
