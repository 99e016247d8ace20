#!/usr/bin/env bash
# ArtifactPortal developer entry point.
#   ./build.sh run                    build and start the portal on http://localhost:5000 (SQLite + local disk)
#   ./build.sh test                   install test prerequisites if missing, run every test project, print "N passed, N failed"
#   ./build.sh bench                  run the benchmarks
#   ./build.sh migrations add NAME    add one EF Core migration to every database provider
#   ./build.sh sql-script             write the idempotent SQL Server migration script to artifacts/sqlserver.sql
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PROVIDERS=(Sqlite SqlServer PostgreSql)

log() { printf '\n==> %s\n' "$*"; }

run() {
  local url="${ARTIFACTPORTAL_URLS:-http://localhost:5000}"
  log "Building ArtifactPortal"
  dotnet build src/ArtifactPortal.Web -c Release -nologo -v quiet
  log "Starting ArtifactPortal on $url (data in ${ARTIFACTPORTAL_DATA:-./.data})"
  exec dotnet run --project src/ArtifactPortal.Web -c Release --no-build --no-launch-profile -- --urls "$url" "$@"
}

migrations() {
  local verb="${1:-}" name="${2:-}"
  if [[ "$verb" != "add" || -z "$name" ]]; then
    echo "usage: ./build.sh migrations add NAME" >&2
    exit 2
  fi
  dotnet tool restore >/dev/null
  for provider in "${PROVIDERS[@]}"; do
    local project="src/ArtifactPortal.Migrations.$provider"
    log "Adding migration $name for $provider"
    dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --output-dir Migrations
  done
}

sql_script() {
  dotnet tool restore >/dev/null
  mkdir -p artifacts
  local project="src/ArtifactPortal.Migrations.SqlServer"
  dotnet ef migrations script --idempotent --project "$project" --startup-project "$project" --output artifacts/sqlserver.sql
  echo "Wrote artifacts/sqlserver.sql ($(wc -l < artifacts/sqlserver.sql) lines)"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  test) shift; exec "$ROOT/.ci/test.sh" "$@" ;;
  bench) shift; exec "$ROOT/.ci/bench.sh" "$@" ;;
  migrations) shift; migrations "$@" ;;
  sql-script) sql_script ;;
  *)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
