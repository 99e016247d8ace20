#!/usr/bin/env bash
# ./build.sh bench: benchmarks arrive with the issues that add them (artifact upload, statistics, lineage).
set -euo pipefail
cd "$(dirname "$0")/.."
if compgen -G "tests/*.Benchmarks/*.csproj" >/dev/null; then
  exec dotnet run -c Release --project tests/ArtifactPortal.Benchmarks -- "$@"
fi
echo "No benchmarks yet."
