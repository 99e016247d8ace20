#!/usr/bin/env bash
# ./build.sh bench [blob-put] [api-transfer] [lists] [thumbnails] [stats] [lineage] [metrics] [load] [options]: whole-system benchmarks (tests/ArtifactPortal.Benchmarks),
# each printing its own lines, then one summary table. `./build.sh bench --help` lists the options.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  printf '\n==> Installing %s (Debian packages)\n' "$*"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y --no-install-recommends "$@" || { as_root apt-get update && as_root apt-get install -y --no-install-recommends "$@"; }
}

# A benchmark runs when it is named, or when none is.
named=()
for arg in "$@"; do
  case "$arg" in blob-put|api-transfer|lists|thumbnails|stats|lineage|metrics|load) named+=("$arg") ;; esac
done
selected() { [[ ${#named[@]} -eq 0 || " ${named[*]} " == *" $1 "* ]]; }

# The thumbnails benchmark compares with vipsthumbnail and reads peak memory from GNU time.
if selected thumbnails; then
  command -v vipsthumbnail >/dev/null 2>&1 || apt_install libvips-tools || echo "warning: vipsthumbnail is missing; its comparison is skipped" >&2
  [[ -x /usr/bin/time ]] || apt_install time
fi

# The load benchmark drives interactive circuits from Debian's Chromium and runs the portal on a throw-away PostgreSQL.
if selected load; then
  [[ -x /usr/bin/chromium ]] || apt_install chromium || echo "warning: chromium is missing; the circuit part of load is skipped" >&2
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
fi

# The API benchmarks run the portal's Release build as a separate process, like an operator would.
dotnet build src/ArtifactPortal.Web -c Release -nologo -v quiet
# The one-shot `thumbnail` and `stats` commands pay start-up and JIT in their time: they run from a ReadyToRun publish,
# as infra/Dockerfile publishes the portal (benchmarks --command-portal).
if selected thumbnails || selected stats; then
  dotnet publish src/ArtifactPortal.Web -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
    -o artifacts/bench-portal -nologo -v quiet
fi
exec dotnet run -c Release --project tests/ArtifactPortal.Benchmarks -- "$@"
