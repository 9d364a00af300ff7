# Azurite (the Azure Storage emulator) for the scripts in scripts/: sourced, not run.
#
#   azurite_ensure [VAR]  provide the storage the script's children use, in one of three ways:
#       - default: install the pinned Azurite (npm ci) if needed and start the script's OWN one, in
#         memory, on three free loopback ports the OS picks (nothing listening on 10000-10002 or
#         anywhere else is touched);
#       - AZURITE_REUSE=1: reuse the emulator already listening on 127.0.0.1:10000-10002 (what
#         UseDevelopmentStorage=true points at); fails when not all three ports accept connections;
#       - VAR (the connection-string variable the calling script honours, e.g.
#         COEXISTENCE_TEST_STORAGE) set and not empty: use that storage as given (its loopback
#         endpoints must accept connections; others are not checked). Not together with AZURITE_REUSE=1.
#     Either way it says which on one "==> " line, sets AZURITE_CONNECTION_STRING and exports it as
#     COEXISTENCE_TEST_STORAGE (tests), COEXISTENCE_BENCH_STORAGE (benchmarks) and COEXISTENCE_STORAGE
#     (CLI). AZURITE_SOURCE is empty for an own emulator, else "AZURITE_REUSE=1" or VAR.
#     Returns 1 with a clear message on failure.
#   azurite_stop     stop the emulator azurite_ensure started (nothing otherwise); silent.
#                    `azurite_stop keep-log` leaves its log file (AZURITE_LOG) for a post-mortem
#
# Expects REPO_ROOT to be set. Settings (environment): AZURITE_REUSE (0 or 1, default 0),
# AZURITE_START_TIMEOUT (seconds, default 60).

AZURITE_DEFAULT_PORTS=(10000 10001 10002)   # blob, queue, table: what UseDevelopmentStorage=true points at
AZURITE_SERVICES=(blob queue table)
# Azurite's published development account (the key is public, not a secret).
AZURITE_ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE_PID=""
AZURITE_LOG=""
AZURITE_DIR=""
AZURITE_SOURCE=""
AZURITE_CONNECTION_STRING=""

azurite__listening() {
  # Pure bash: no nc/ss needed. The subshell closes the descriptor again.
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# The full connection string of the development account on 127.0.0.1 with the given blob, queue, table ports.
azurite__connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_ACCOUNT_KEY;BlobEndpoint=http://127.0.0.1:$1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$2/devstoreaccount1;TableEndpoint=http://127.0.0.1:$3/devstoreaccount1;"
}

# The blob, queue and table endpoints of connection string $1, one "service url" a line (only those
# it names; UseDevelopmentStorage=true names all three). Never the key.
azurite__endpoints() {
  local part key value parts=()
  IFS=';' read -r -a parts <<<"$1"   # read, not an unquoted expansion: no globbing
  for part in "${parts[@]}"; do
    key=$(printf '%s' "${part%%=*}" | tr '[:upper:]' '[:lower:]')
    value="${part#*=}"
    case "$key" in
      usedevelopmentstorage)
        if [[ "$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')" == true ]]; then
          echo "blob http://127.0.0.1:10000/devstoreaccount1"
          echo "queue http://127.0.0.1:10001/devstoreaccount1"
          echo "table http://127.0.0.1:10002/devstoreaccount1"
        fi ;;
      blobendpoint) echo "blob $value" ;;
      queueendpoint) echo "queue $value" ;;
      tableendpoint) echo "table $value" ;;
    esac
  done
}

# Connection string $1 for a message: its endpoints, or (when it names none) itself without secrets.
azurite__describe() {
  local endpoints
  endpoints=$(azurite__endpoints "$1" | paste -sd, - | sed 's/,/, /g')
  if [[ -n "$endpoints" ]]; then
    echo "$endpoints"
  else
    printf '%s' "$1" | tr ';' '\n' | grep -viE '^ *(AccountKey|SharedAccessSignature) *=' | paste -sd';' -
  fi
}

# The loopback endpoints of connection string $1 that do not accept connections, as "service host:port" lines.
azurite__unreachable() {
  local service url rest hostport host port
  while read -r service url; do
    [[ -n "$url" ]] || continue
    rest="${url#*://}"
    hostport="${rest%%/*}"
    host="${hostport%:*}"
    port="${hostport##*:}"
    if [[ "$host" == "$hostport" ]]; then
      host="$hostport"
      if [[ "$url" == https://* ]]; then port=443; else port=80; fi
    fi
    case "$host" in
      127.0.0.1|localhost) ;;
      *) continue ;;   # not an emulator on this machine: the code under test will say if it is unreachable
    esac
    azurite__listening "$host" "$port" || echo "$service $host:$port"
  done < <(azurite__endpoints "$1")
}

azurite__use() {
  AZURITE_CONNECTION_STRING="$1"
  AZURITE_SOURCE="$2"
  export COEXISTENCE_TEST_STORAGE="$1" COEXISTENCE_BENCH_STORAGE="$1" COEXISTENCE_STORAGE="$1"
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
  echo "==> Installing the npm tools (npm ci; package-lock.json pins Azurite and the Kusto language service)"
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

# The port Azurite's log says service $1 (Blob, Queue, Table) listens on; empty until it does.
azurite__logged_port() {
  sed -n "s|^Azurite $1 service is successfully listening at http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p" "$AZURITE_LOG" 2>/dev/null | tail -n1
}

# Starts the script's own Azurite on ports the OS picks (port 0: no window in which another process
# could take a port found free), waits until all three accept connections and uses it.
azurite__start() {
  azurite__install || return 1

  AZURITE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/coexistence-azurite.XXXXXX")
  AZURITE_LOG="$AZURITE_DIR/azurite.log"
  echo "==> Starting Azurite on free loopback ports (in memory; log: $AZURITE_LOG)"
  # Working directory: the temp folder, so nothing Azurite writes lands in the repository.
  # --silent turns off the access log only; the start-up lines naming the ports stay.
  (cd "$AZURITE_DIR" && exec "$REPO_ROOT/node_modules/.bin/azurite" --silent --inMemoryPersistence --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort 0 --queuePort 0 --tablePort 0) \
    >"$AZURITE_LOG" 2>&1 </dev/null &
  AZURITE_PID=$!

  local timeout="${AZURITE_START_TIMEOUT:-60}" waited=0 blob queue table
  while :; do
    blob=$(azurite__logged_port Blob)
    queue=$(azurite__logged_port Queue)
    table=$(azurite__logged_port Table)
    if [[ -n "$blob" && -n "$queue" && -n "$table" ]] \
        && azurite__listening 127.0.0.1 "$blob" && azurite__listening 127.0.0.1 "$queue" && azurite__listening 127.0.0.1 "$table"; then
      break
    fi
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
      echo "error: Azurite exited during start-up. Its log ($AZURITE_LOG):" >&2
      sed 's/^/    /' "$AZURITE_LOG" >&2
      AZURITE_PID=""
      return 1
    fi
    if (( waited >= timeout * 4 )); then
      echo "error: Azurite did not accept connections on its blob, queue and table ports within ${timeout}s. Its log ($AZURITE_LOG):" >&2
      sed 's/^/    /' "$AZURITE_LOG" >&2
      return 1
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
  echo "==> Azurite is listening on 127.0.0.1:$blob,$queue,$table (blob, queue, table)"
  azurite__use "$(azurite__connection_string "$blob" "$queue" "$table")" ""
}

azurite_ensure() {
  local var="${1:-}" given="" reuse="${AZURITE_REUSE:-0}" missing
  [[ -n "$var" ]] && given="${!var:-}"

  case "$reuse" in
    0|1) ;;
    *) echo "error: AZURITE_REUSE must be 1 (reuse the emulator on 127.0.0.1:10000-10002) or 0 (start an own one, the default); it is '$reuse'." >&2
       return 1 ;;
  esac

  if [[ -n "$given" ]]; then
    if [[ "$reuse" == 1 ]]; then
      echo "error: both AZURITE_REUSE=1 and $var are set; say which storage to use: unset $var to reuse" >&2
      echo "       the emulator on 127.0.0.1:10000-10002, or unset AZURITE_REUSE to use $var." >&2
      return 1
    fi
    missing=$(azurite__unreachable "$given")
    if [[ -n "$missing" ]]; then
      echo "error: $var names a storage emulator that does not accept connections at: $(paste -sd, - <<<"$missing" | sed 's/,/, /g')." >&2
      echo "       Start it, or unset $var to let the script start its own Azurite." >&2
      return 1
    fi
    echo "==> Reusing the storage emulator at $(azurite__describe "$given") ($var)"
    azurite__use "$given" "$var"
    return 0
  fi

  if [[ "$reuse" == 1 ]]; then
    local i down=()
    for i in 0 1 2; do
      azurite__listening 127.0.0.1 "${AZURITE_DEFAULT_PORTS[$i]}" \
        || down+=("${AZURITE_SERVICES[$i]} ${AZURITE_DEFAULT_PORTS[$i]}")
    done
    if (( ${#down[@]} > 0 )); then
      echo "error: AZURITE_REUSE=1 asks to reuse the storage emulator on 127.0.0.1:10000-10002, but nothing accepts" >&2
      echo "       connections on $(printf '%s\n' "${down[@]}" | paste -sd, - | sed 's/,/, /g') there. Start one first, e.g." >&2
      echo "         node_modules/.bin/azurite --silent --inMemoryPersistence --skipApiVersionCheck --loose --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &" >&2
      echo "       or leave AZURITE_REUSE unset to let the script start its own on free ports." >&2
      return 1
    fi
    echo "==> Reusing the storage emulator at 127.0.0.1:10000,10001,10002 (blob, queue, table; AZURITE_REUSE=1)"
    azurite__use "$(azurite__connection_string 10000 10001 10002)" "AZURITE_REUSE=1"
    return 0
  fi

  azurite__start
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
