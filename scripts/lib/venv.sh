# Create .venv and install the project into it; reinstall only when pyproject.toml changed.
# Sourced by scripts/run and scripts/test; needs nothing but python3.
ensure_venv() {
  local extras="${1:-}"
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "hotline needs Python 3.11 or newer (found: $("$python" --version 2>&1))" >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv"
    "$python" -m venv .venv
  fi
  local stamp=".venv/.hotline-installed${extras:+-$extras}"
  local want
  want="$(cat pyproject.toml | "$python" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
  # A test install ([test] extras) also satisfies a plain one.
  if [ -z "$extras" ] && [ -f .venv/.hotline-installed-test ] && [ "$(cat .venv/.hotline-installed-test)" = "$want" ]; then
    return 0
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> installing hotline${extras:+[$extras]} into .venv"
    .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
    .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}" 2>&1 | grep -v '^WARNING: Location' || true
    .venv/bin/python -c 'import hotline, flask, rq, twilio' || { echo "install failed" >&2; exit 1; }
    echo "$want" > "$stamp"
  fi
}
