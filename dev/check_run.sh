#!/usr/bin/env bash
# make check-run: `make run` twice on a free port; both must serve the login page, and the second must
# neither rebuild .venv nor recreate the database.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp)

serve_once() {
    local started=$SECONDS pid code=000
    CR_PORT=$PORT setsid bash "$ROOT/dev/run.sh" >"$LOG" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/web/login" || true)
        [ "$code" = 200 ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    kill -- -"$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ "$code" != 200 ]; then
        cat "$LOG"
        echo "check-run: the login page did not answer 200 (got $code)."
        exit 1
    fi
    echo "check-run: login page served after $((SECONDS - started)) s"
}

serve_once
serve_once
if grep -q -e "Preparing .venv" -e "Creating database" "$LOG"; then
    cat "$LOG"
    echo "check-run: the second make run rebuilt the venv or recreated the database."
    exit 1
fi
echo "check-run: second run reused .venv and the database."
