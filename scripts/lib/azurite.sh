# Azurite (the Azure Storage emulator) for the scripts in scripts/: sourced, not run.
#
#   azurite_ensure   reuse an emulator already listening on 127.0.0.1:10000-10002, or install the
#                    pinned one (npm ci) if needed and start it on loopback, in memory; returns 1
#                    with a clear message on failure
#   azurite_stop     stop the emulator azurite_ensure started (nothing otherwise); silent.
#                    `azurite_stop keep-log` leaves its log file (AZURITE_LOG) for a post-mortem
#
# Expects REPO_ROOT to be set. Settings (environment): AZURITE_START_TIMEOUT (seconds, default 60).

AZURITE_PORTS=(10000 10001 10002)   # blob, queue, table: what UseDevelopmentStorage=true points at
AZURITE_PID=""
AZURITE_LOG=""
AZURITE_DIR=""

azurite__listening() {
  # Pure bash: no nc/ss needed. The subshell closes the descriptor again.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

azurite__count_listening() {
  local port n=0
  for port in "${AZURITE_PORTS[@]}"; do
    azurite__listening "$port" && n=$((n + 1))
  done
  echo "$n"
}

# npm ci when the emulator is not installed, or package-lock.json changed since the last install.
azurite__install() {
  local bin="$REPO_ROOT/node_modules/.bin/azurite"
  local stamp="$REPO_ROOT/node_modules/.coexistence-lock.sha256"
  local lock_hash
  if command -v sha256sum >/dev/null 2>&1; then
    lock_hash=$(sha256sum "$REPO_ROOT/package-lock.json" | cut -d' ' -f1)
  else
    lock_hash=$(shasum -a 256 "$REPO_ROOT/package-lock.json" | cut -d' ' -f1)   # macOS
  fi

  if [[ -x "$bin" ]]; then
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
      return 0
    fi
    # Installed by hand (no stamp yet): trust it if npm's own record is not older than the lock.
    if [[ ! -f "$stamp" && -f "$REPO_ROOT/node_modules/.package-lock.json" \
          && ! "$REPO_ROOT/package-lock.json" -nt "$REPO_ROOT/node_modules/.package-lock.json" ]]; then
      echo "$lock_hash" >"$stamp"
      return 0
    fi
  fi

  if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is not installed; it is needed to install Azurite (Node.js 20+ with npm)." >&2
    return 1
  fi
  echo "==> Installing Azurite (npm ci; package-lock.json pins azurite)"
  if ! (cd "$REPO_ROOT" && npm ci --no-audit --no-fund); then
    echo "error: 'npm ci' failed; Azurite could not be installed." >&2
    return 1
  fi
  if [[ ! -x "$bin" ]]; then
    echo "error: npm ci finished but $bin is missing." >&2
    return 1
  fi
  echo "$lock_hash" >"$stamp"
}

azurite_ensure() {
  local listening
  listening=$(azurite__count_listening)
  if [[ "$listening" == "${#AZURITE_PORTS[@]}" ]]; then
    echo "==> Reusing the storage emulator already listening on 127.0.0.1:10000-10002"
    return 0
  fi
  if [[ "$listening" != 0 ]]; then
    echo "error: only some of the ports 127.0.0.1:10000-10002 (blob, queue, table) accept connections." >&2
    echo "       Something else uses them, or an emulator is half started. Free them or start all three," >&2
    echo "       e.g. check with: ss -ltnp | grep -E ':1000[012]'" >&2
    return 1
  fi

  azurite__install || return 1

  AZURITE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/coexistence-azurite.XXXXXX")
  AZURITE_LOG="$AZURITE_DIR/azurite.log"
  echo "==> Starting Azurite on 127.0.0.1:10000-10002 (in memory; log: $AZURITE_LOG)"
  # Working directory: the temp folder, so nothing Azurite writes lands in the repository.
  (cd "$AZURITE_DIR" && exec "$REPO_ROOT/node_modules/.bin/azurite" --silent --inMemoryPersistence --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1) >"$AZURITE_LOG" 2>&1 </dev/null &
  AZURITE_PID=$!

  local timeout="${AZURITE_START_TIMEOUT:-60}" waited=0
  while [[ "$(azurite__count_listening)" != "${#AZURITE_PORTS[@]}" ]]; do
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
      echo "error: Azurite exited during start-up. Its log ($AZURITE_LOG):" >&2
      sed 's/^/    /' "$AZURITE_LOG" >&2
      AZURITE_PID=""
      return 1
    fi
    if (( waited >= timeout * 4 )); then
      echo "error: Azurite did not accept connections on 127.0.0.1:10000-10002 within ${timeout}s. Its log ($AZURITE_LOG):" >&2
      sed 's/^/    /' "$AZURITE_LOG" >&2
      return 1
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
}

azurite_stop() {
  if [[ -n "$AZURITE_PID" ]]; then
    kill "$AZURITE_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 40); do
      kill -0 "$AZURITE_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
    AZURITE_PID=""
  fi
  if [[ -n "$AZURITE_DIR" && "${1:-}" != keep-log ]]; then
    rm -rf "$AZURITE_DIR"
    AZURITE_DIR=""
  fi
}
