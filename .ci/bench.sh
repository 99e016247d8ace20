#!/usr/bin/env bash
# ./build.sh bench [blob-put] [api-transfer] [lists] [options]: whole-system benchmarks (tests/ArtifactPortal.Benchmarks),
# each printing its own lines, then one summary table. `./build.sh bench --help` lists the options.
set -euo pipefail
cd "$(dirname "$0")/.."
# The API benchmarks run the portal's Release build as a separate process, like an operator would.
dotnet build src/ArtifactPortal.Web -c Release -nologo -v quiet
exec dotnet run -c Release --project tests/ArtifactPortal.Benchmarks -- "$@"
