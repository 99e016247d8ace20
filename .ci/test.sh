#!/usr/bin/env bash
# The README's test command (./build.sh test): installs missing prerequisites, builds with warnings as errors,
# checks formatting and the SQL Server migration script, runs every test project and prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIGURATION=Release
RESULTS="$(pwd)/TestResults"

log() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  log "Installing $* (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y --no-install-recommends "$@" || { as_root apt-get update && as_root apt-get install -y --no-install-recommends "$@"; }
}

have_postgres() {
  command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

AZURITE=.ci/tools/node_modules/.bin/azurite-blob

install_azurite() {
  # The version is pinned by .ci/tools/package.json and package-lock.json; the storage tests look for it there.
  log "Installing Azurite (npm, into .ci/tools)"
  command -v npm >/dev/null 2>&1 || apt_install npm
  npm ci --prefix .ci/tools --no-audit --no-fund --loglevel=error
}

install_prerequisites() {
  [[ -x /usr/bin/chromium ]] || apt_install chromium
  have_postgres || apt_install postgresql
  [[ -x "$AZURITE" ]] || install_azurite
  # The Python client's tests (PythonClientTests) run Debian's python3 against a real portal.
  command -v python3 >/dev/null 2>&1 || apt_install python3
  # The deployment tests (ArtifactPortal.Deployment.Tests) validate infra/docker-compose.yml with `docker-compose config`,
  # which needs no Docker engine.
  command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose
  # The tests fail (never skip) when these are still missing; say so early and plainly.
  [[ -x /usr/bin/chromium ]] || { echo "error: /usr/bin/chromium is missing and could not be installed" >&2; exit 1; }
  have_postgres || { echo "error: PostgreSQL binaries are missing and could not be installed" >&2; exit 1; }
  [[ -x "$AZURITE" ]] || { echo "error: $AZURITE is missing and could not be installed" >&2; exit 1; }
  command -v python3 >/dev/null 2>&1 || { echo "error: python3 is missing and could not be installed" >&2; exit 1; }
  command -v docker-compose >/dev/null 2>&1 || { echo "error: docker-compose is missing and could not be installed" >&2; exit 1; }
}

sum_counter() { # total of one TRX counter attribute over all result files
  local name=$1
  find "$RESULTS" -name '*.trx' -print0 | xargs -0 -r grep -ho "<Counters [^>]*" | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'
}

install_prerequisites

log "Restoring tools and building ($CONFIGURATION, warnings are errors)"
dotnet tool restore >/dev/null
dotnet build ArtifactPortal.sln -c "$CONFIGURATION" -nologo -v quiet

log "Checking formatting (dotnet format --verify-no-changes)"
dotnet format ArtifactPortal.sln --verify-no-changes --no-restore -v quiet

log "Generating the idempotent SQL Server migration script"
mkdir -p artifacts
dotnet ef migrations script --idempotent --no-build --configuration "$CONFIGURATION" \
  --project src/ArtifactPortal.Migrations.SqlServer --startup-project src/ArtifactPortal.Migrations.SqlServer \
  --output artifacts/sqlserver.sql >/dev/null
grep -q "CREATE TABLE \[AspNetUsers\]" artifacts/sqlserver.sql || { echo "error: SQL Server script lacks the schema" >&2; exit 1; }
echo "artifacts/sqlserver.sql: $(wc -l < artifacts/sqlserver.sql) lines"

log "Running tests"
rm -rf "$RESULTS"
# End-to-end screenshots are kept with the results, for people to look at.
export ARTIFACTPORTAL_SCREENSHOTS="$RESULTS/screenshots"
status=0
for project in tests/*/; do
  name=$(basename "$project")
  [[ -f "$project/$name.csproj" ]] || continue
  [[ "$name" == *.Benchmarks ]] && continue
  echo "--- $name"
  dotnet test "$project" -c "$CONFIGURATION" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$RESULTS/$name" || status=1
done

# A page that failed in the browser only says "Something went wrong"; the portal's own log says why.
if [[ "$status" -ne 0 && -s "$RESULTS/end-to-end-portal.log" ]]; then
  log "The end-to-end portal's warnings and errors (last 300 lines of $RESULTS/end-to-end-portal.log)"
  tail -n 300 "$RESULTS/end-to-end-portal.log"
fi

passed=$(sum_counter passed)
failed=$(sum_counter failed)
total=$(sum_counter total)
if [[ "$total" -eq 0 ]]; then
  echo "error: no test results found" >&2
  status=1
fi
echo
for trx in $(find "$RESULTS" -name '*.trx' | sort); do
  counters=$(grep -ho "<Counters [^>]*" "$trx")
  printf '%-40s passed %s, failed %s\n' "$(basename "$trx" .trx)" \
    "$(grep -o ' passed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')" "$(grep -o ' failed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')"
done
echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 && "$status" -eq 0 ]]
