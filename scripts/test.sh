#!/usr/bin/env bash
# Runs every test of the solution against a local Azurite storage emulator.
#
#   bash scripts/test.sh [extra dotnet test arguments...]
#   e.g. bash scripts/test.sh --filter "FullyQualifiedName~SmokeTests"
#
# Needs the .NET 10 SDK and Node.js 20+ with npm. Installs the pinned Azurite (npm ci) when needed
# and starts its own, in memory, on three free loopback ports (and stops it again); an emulator on
# 127.0.0.1:10000-10002 (another checkout's, say) is left alone. The tests get its connection string
# in COEXISTENCE_TEST_STORAGE. Reuse only when asked:
#   AZURITE_REUSE=1 bash scripts/test.sh                      the emulator on 127.0.0.1:10000-10002
#   COEXISTENCE_TEST_STORAGE='<connection string>' bash scripts/test.sh   that storage
# Either fails at once when its (loopback) endpoints do not accept connections.
# Compiles infra/main.bicep (scripts/check-infra.sh) when infra/.build/main.json, which the
# infrastructure tests read, is missing or older than infra/.
# The last line of output is always "N passed, N failed" (all test projects together); the exit
# code is dotnet test's (non-zero when anything failed, including the build).
#
# Settings (environment): CONFIGURATION (Release), TEST_RESULTS_DIR (keep the TRX files there;
# default: a temporary folder, removed unless something failed), AZURITE_REUSE (0 or 1, default 0),
# COEXISTENCE_TEST_STORAGE (empty), AZURITE_START_TIMEOUT (60 s).
set -uo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/azurite.sh
source "$REPO_ROOT/scripts/lib/azurite.sh"

CONFIGURATION="${CONFIGURATION:-Release}"
SUMMARY=""          # "N passed, N failed" once the tests ran
RESULTS_DIR="${TEST_RESULTS_DIR:-}"
OWN_RESULTS_DIR=""

finish() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ $rc -ne 0 ]]; then
    azurite_stop keep-log
    [[ -n "$AZURITE_LOG" && -f "$AZURITE_LOG" ]] && echo "Azurite log kept at $AZURITE_LOG"
    [[ -n "$OWN_RESULTS_DIR" ]] && echo "Test results kept in $OWN_RESULTS_DIR"
  else
    azurite_stop
    [[ -n "$OWN_RESULTS_DIR" ]] && rm -rf "$OWN_RESULTS_DIR"
  fi
  # Whatever happened, the summary is the last line (CI reads it).
  if [[ -z "$SUMMARY" ]]; then
    SUMMARY="0 passed, 1 failed"
    [[ $rc -eq 0 ]] && rc=1
  fi
  echo "$SUMMARY"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Adds up the <Counters> of every TRX file in $1: prints "passed failed". Pure grep/awk (no python on CI).
count_results() {
  local files=("$1"/*.trx)
  [[ -e "${files[0]}" ]] || { echo "0 0"; return; }
  grep -ho '<Counters [^>]*>' "${files[@]}" | awk '
    function attr(name,   m) { return match($0, " " name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4) + 0 : 0 }
    { passed += attr("passed"); failed += attr("failed") + attr("error") + attr("timeout") + attr("aborted") }
    END { print passed + 0, failed + 0 }'
}

command -v dotnet >/dev/null 2>&1 || { echo "error: 'dotnet' is not on PATH; install the .NET 10 SDK." >&2; exit 1; }

# The infrastructure tests read the compiled ARM template; (re)build it when missing or stale.
if [[ -f "$REPO_ROOT/infra/main.bicep" ]]; then
  template="$REPO_ROOT/infra/.build/main.json"
  if [[ ! -f "$template" || -n "$(find "$REPO_ROOT/infra" \( -path "$REPO_ROOT/infra/.build" -o -path "$REPO_ROOT/infra/tools" \) -prune \
          -o -type f -newer "$template" -print | head -n1)" ]]; then
    echo "==> Compiling infra/main.bicep for the infrastructure tests (scripts/check-infra.sh)"
    bash "$REPO_ROOT/scripts/check-infra.sh" \
      || echo "warning: scripts/check-infra.sh failed (output above); the infrastructure tests will say what is missing." >&2
  fi
fi

azurite_ensure COEXISTENCE_TEST_STORAGE || exit 1

if [[ -z "$RESULTS_DIR" ]]; then
  OWN_RESULTS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/coexistence-tests.XXXXXX")
  RESULTS_DIR="$OWN_RESULTS_DIR"
else
  mkdir -p "$RESULTS_DIR"
  rm -f "$RESULTS_DIR"/*.trx
fi

echo "==> dotnet test Coexistence.sln -c $CONFIGURATION $*"
cd "$REPO_ROOT"
dotnet test Coexistence.sln -c "$CONFIGURATION" --logger "trx" --results-directory "$RESULTS_DIR" "$@"
rc=$?

read -r passed failed < <(count_results "$RESULTS_DIR")
trx_count=$(find "$RESULTS_DIR" -maxdepth 1 -name '*.trx' | wc -l)
if [[ $rc -ne 0 && $failed -eq 0 ]]; then
  # The build failed, or a test host crashed before reporting: still a failure in the summary.
  if [[ $trx_count -eq 0 ]]; then
    echo "error: dotnet test failed before any test ran (see the build output above)." >&2
  else
    echo "error: dotnet test failed (exit $rc) without a failed test in its results (crashed test host?)." >&2
  fi
  failed=1
elif [[ $rc -eq 0 && $trx_count -eq 0 ]]; then
  echo "warning: no test results were written (no tests matched?)." >&2
fi
SUMMARY="$passed passed, $failed failed"
exit "$rc"
