#!/usr/bin/env bash
# Quick start: ingest the sample webhooks in samples/ into a local Azurite and show what was stored.
#
#   bash scripts/demo.sh
#
# Needs the .NET 10 SDK and Node.js 20+ with npm. Runs the same code the Function App runs (door,
# queues, processors, tables, the media archive) through the `coexistence` CLI, without the Functions host.
# The media files come from a stand-in for Meta's media API on loopback (scripts/media-standin.cjs, serving
# samples/media/): no request leaves the machine.
# Azurite: by default the demo starts its own, in memory, on three free loopback ports, points the
# CLI at it (COEXISTENCE_STORAGE) and stops it at the end (data gone); an emulator on
# 127.0.0.1:10000-10002 is left alone. Reuse only when asked (the data then stays there):
#   AZURITE_REUSE=1 bash scripts/demo.sh                  the emulator on 127.0.0.1:10000-10002
#   COEXISTENCE_STORAGE='<connection string>' bash scripts/demo.sh   that storage (the CLI reads it too)
# Either fails at once when its (loopback) endpoints do not accept connections.
#
# Settings (environment): DEMO_PHONE_NUMBER_ID (106540352242922, the samples' number),
# CONFIGURATION (Release), AZURITE_REUSE (0 or 1, default 0), COEXISTENCE_STORAGE (empty),
# AZURITE_START_TIMEOUT (60 s).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/azurite.sh
source "$REPO_ROOT/scripts/lib/azurite.sh"

PNID="${DEMO_PHONE_NUMBER_ID:-106540352242922}"
CONFIGURATION="${CONFIGURATION:-Release}"
CLI_PROJECT="tools/Coexistence.Cli"

STANDIN_PID=""
stop_all() {
  [[ -n "$STANDIN_PID" ]] && kill "$STANDIN_PID" 2>/dev/null || true
  azurite_stop
}
trap 'stop_all' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v dotnet >/dev/null 2>&1 || { echo "error: 'dotnet' is not on PATH; install the .NET 10 SDK." >&2; exit 1; }
cd "$REPO_ROOT"
[[ -d "$CLI_PROJECT" && -n "$(ls "$CLI_PROJECT"/*.csproj 2>/dev/null)" ]] || { echo "error: $CLI_PROJECT has no project." >&2; exit 1; }
[[ -n "$(find samples -name '*.json' 2>/dev/null | head -n1)" ]] || { echo "error: samples/ holds no webhook bodies (*.json)." >&2; exit 1; }

azurite_ensure COEXISTENCE_STORAGE

echo "==> Building the coexistence CLI ($CONFIGURATION)"
if ! build_output=$(dotnet build "$CLI_PROJECT" -c "$CONFIGURATION" -nologo 2>&1); then
  echo "$build_output"
  echo "error: the CLI did not build (output above)." >&2
  exit 1
fi
echo "    (below, 'coexistence' stands for: dotnet run --project $CLI_PROJECT --)"

echo "==> Starting a stand-in for Meta's media API on loopback (scripts/media-standin.cjs, files from samples/media/)"
STANDIN_OUT=$(mktemp)
node scripts/media-standin.cjs samples/media >"$STANDIN_OUT" &
STANDIN_PID=$!
for _ in $(seq 1 50); do [[ -s "$STANDIN_OUT" ]] && break; sleep 0.1; done
STANDIN_PORT=$(head -n1 "$STANDIN_OUT")
rm -f "$STANDIN_OUT"
[[ "$STANDIN_PORT" =~ ^[0-9]+$ ]] || { echo "error: the media stand-in did not start." >&2; exit 1; }
# The media archive's settings, as the Function App takes them (docs/media.md, "Settings").
export Media__Provider=meta Media__BaseUrl="http://127.0.0.1:$STANDIN_PORT" Media__AccessToken=demo-token
echo "    Media__Provider=meta Media__BaseUrl=http://127.0.0.1:$STANDIN_PORT Media__AccessToken=demo-token"

coexistence() {
  echo
  echo "\$ coexistence $*"
  dotnet run --project "$CLI_PROJECT" -c "$CONFIGURATION" --no-build -- "$@"
}

echo
echo "==> 1. Each sample goes through the door like a POSTed webhook (checked, archived, queued); then the queues are drained into the tables,"
echo "       and each media file a message names is downloaded, checked against its sha256 and archived ('media:' line)"
coexistence ingest samples/

echo
echo "==> 2. What is stored for the business number $PNID"
coexistence show history "$PNID"
coexistence show chats "$PNID"
coexistence show contacts "$PNID"

chats_json=$(dotnet run --project "$CLI_PROJECT" -c "$CONFIGURATION" --no-build -- show chats "$PNID" --json)
chat_ids=$(grep -o '"chatId" *: *"[^"]*"' <<<"$chats_json" | head -n3 | sed 's/.*"\([^"]*\)"$/\1/' || true)
if [[ -z "$chat_ids" ]]; then
  echo
  echo "No chat was stored for $PNID, so there are no messages to show."
else
  # The three most recent chats: with the samples, an inbound message, a location, a reaction and a quoted
  # reply (Oliver), a customer known only by user id (Maria), and a read status (Alice).
  for chat_id in $chat_ids; do
    echo
    echo "==> 3. The messages of a recent chat ($chat_id), oldest first"
    coexistence show messages "$PNID" "$chat_id"
  done
fi

echo
echo "==> 4. The media archive: every media file of the number is archived already, so nothing is downloaded again"
coexistence media fetch "$PNID"

echo
case "$AZURITE_SOURCE" in
  "")
    echo "Done. The demo's own Azurite is stopped now and its in-memory data is gone."
    echo "To keep exploring, start Azurite yourself on the default ports (127.0.0.1:10000-10002), let the"
    echo "demo reuse it, then ask the CLI (its default storage, UseDevelopmentStorage=true, is that emulator):"
    echo "  node_modules/.bin/azurite --silent --inMemoryPersistence --skipApiVersionCheck --loose --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &"
    echo "  AZURITE_REUSE=1 bash scripts/demo.sh"
    echo "  dotnet run --project $CLI_PROJECT -- show messages $PNID <chatId> --json" ;;
  "AZURITE_REUSE=1")
    echo "Done. The data stays in the emulator on 127.0.0.1:10000-10002 (the CLI's default storage); try:"
    echo "  dotnet run --project $CLI_PROJECT -- show messages $PNID <chatId> --json" ;;
  *)
    echo "Done. The data stays in the storage given in $AZURITE_SOURCE (which the CLI reads too); try:"
    echo "  dotnet run --project $CLI_PROJECT -- show messages $PNID <chatId> --json" ;;
esac
echo "More: docs/cli.md (commands), docs/data-model.md (tables), README.md (running the Function App)."
