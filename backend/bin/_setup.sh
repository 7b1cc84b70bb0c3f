# Shared by backend/bin/dev, backend/bin/test and .ci/run (sourced, not run): puts a fresh clone in a runnable state.
#   wf_setup            cd to the repo root, create .venv, install the package + test extras at the versions pinned
#                       in constraints.txt, npm ci, build
#   wf_browser          Chromium and the CJK fonts for the e2e tests: installed with apt-get when missing and
#                       this user is root or has passwordless sudo; otherwise an error that says what to run
# Each step is skipped when its output is already newer than its inputs, so a second run starts at once.

if [[ -t 2 && -z "${NO_COLOR:-}" ]]; then WF_BLUE=$'\033[1;34m' WF_RED=$'\033[1;31m' WF_OFF=$'\033[0m'; else WF_BLUE="" WF_RED="" WF_OFF=""; fi
wf_log() { printf '%s[wayfinder]%s %s\n' "$WF_BLUE" "$WF_OFF" "$*" >&2; }
wf_die() { printf '%s[wayfinder] error:%s %s\n' "$WF_RED" "$WF_OFF" "$*" >&2; exit 1; }

WF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WF_VENV="$WF_ROOT/.venv"
WF_PY="$WF_VENV/bin/python"
WF_BUILD_INDEX="$WF_ROOT/backend/wayfinder/static/app/index.html"

wf_python_env() {
    if [[ ! -x "$WF_PY" ]]; then
        local python="${PYTHON:-python3}"
        command -v "$python" >/dev/null || wf_die "$python not found; install Python 3.11+ (apt-get install -y python3 python3-venv)"
        "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            || wf_die "$("$python" --version 2>&1) is too old; Wayfinder needs Python 3.11+ (set PYTHON=/path/to/python3.11)"
        wf_log "creating .venv with $("$python" --version 2>&1)"
        "$python" -m venv "$WF_VENV" || wf_die "python3 -m venv failed (on Debian: apt-get install -y python3-venv)"
    fi
    local stamp="$WF_VENV/.wayfinder-installed"
    if [[ ! -f "$stamp" || "$WF_ROOT/pyproject.toml" -nt "$stamp" || "$WF_ROOT/constraints.txt" -nt "$stamp" \
        || ! -x "$WF_VENV/bin/wayfinder" ]] \
        || ! "$WF_PY" -c 'import sys, wayfinder; sys.exit(not wayfinder.__file__.startswith(sys.argv[1]))' \
            "$WF_ROOT/backend/" 2>/dev/null; then
        wf_log "installing the wayfinder package and its test tools into .venv"
        "$WF_PY" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
        # The exact versions the tests passed with (constraints.txt; backend/bin/update-constraints re-pins them).
        "$WF_PY" -m pip install -qq --disable-pip-version-check -c "$WF_ROOT/constraints.txt" -e "$WF_ROOT[test]" \
            || wf_die "pip install -c constraints.txt -e '.[test]' failed"
        touch "$stamp"
    fi
}

wf_frontend() {
    local fe="$WF_ROOT/frontend"
    [[ -f "$fe/package.json" ]] || wf_die "frontend/package.json is missing"
    command -v npm >/dev/null || wf_die "npm not found; install Node.js 20+ (https://nodejs.org or apt-get install -y nodejs npm)"
    local installed="$fe/node_modules/.package-lock.json"  # npm rewrites it on every install
    if [[ ! -d "$fe/node_modules" || ! -f "$installed" || "$fe/package-lock.json" -nt "$installed" || "$fe/package.json" -nt "$installed" ]]; then
        wf_log "installing front-end dependencies (npm ci)"
        local ci_log
        if ! ci_log="$(npm --prefix "$fe" ci --no-audit --no-fund --loglevel=error 2>&1)"; then
            grep -qE 'EUSAGE|in sync' <<<"$ci_log" || { printf '%s\n' "$ci_log" >&2; wf_die "npm ci failed"; }
            # npm 11 rejects a lock file that lacks other platforms' optional packages (npm/cli#4828; e.g.
            # @rollup/rollup-android-*) even though it installs fine from it; install from the lock anyway,
            # without rewriting it.
            wf_log "npm ci refused the lock file (npm omits other platforms' optional packages such as @rollup/rollup-*); installing the same versions with npm install --no-save"
            npm --prefix "$fe" install --no-save --no-audit --no-fund --loglevel=error || wf_die "npm install failed"
        fi
    fi
    local newer=""
    if [[ -f "$WF_BUILD_INDEX" ]]; then
        newer="$(find "$fe" \( -path "$fe/node_modules" -o -path "$fe/dist" -o -name '*.test.ts' -o -name '*.test.tsx' \) -prune \
            -o -type f -newer "$WF_BUILD_INDEX" -print -quit)"
    fi
    if [[ ! -f "$WF_BUILD_INDEX" || -n "$newer" ]]; then
        wf_log "building the front end into backend/wayfinder/static/app"
        npm --prefix "$fe" run build || wf_die "front-end build failed"
        [[ -f "$WF_BUILD_INDEX" ]] || wf_die "the build did not produce $WF_BUILD_INDEX"
        touch "$WF_BUILD_INDEX"
    fi
}

wf_as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo -n "$@"; fi; }
wf_can_root() { [[ $(id -u) == 0 ]] || sudo -n true 2>/dev/null; }

wf_browser() {
    export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
    local packages=()
    [[ -x "$CHROMIUM_PATH" ]] || packages+=(chromium)
    # CJK fonts, so zh-TW pages (and their screenshots) show text, not boxes.
    if command -v dpkg-query >/dev/null && ! dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed"; then
        packages+=(fonts-noto-cjk)
    fi
    ((${#packages[@]})) || return 0
    if command -v apt-get >/dev/null && wf_can_root; then
        wf_log "installing ${packages[*]} (apt-get; needed by the end-to-end tests)"
        wf_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null \
            && wf_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "${packages[@]}" </dev/null \
            || wf_die "apt-get install ${packages[*]} failed"
    fi
    if [[ ! -x "$CHROMIUM_PATH" ]]; then
        wf_die "Chromium not found at $CHROMIUM_PATH and it cannot be installed here (needs root or passwordless sudo, and apt-get); the end-to-end tests need it:
    sudo apt-get install -y chromium fonts-noto-cjk     (Debian/Ubuntu; then it is at /usr/bin/chromium)
  or point CHROMIUM_PATH at another Chromium/Chrome binary."
    fi
    if [[ " ${packages[*]} " == *" fonts-noto-cjk "* ]] && ! dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed"; then
        wf_log "warning: fonts-noto-cjk is not installed (sudo apt-get install -y fonts-noto-cjk); zh-TW screenshots will show boxes"
    fi
}

wf_setup() {
    cd "$WF_ROOT"
    # The Python environment and the front end do not depend on each other: from a fresh clone (pip install,
    # npm ci and the build, mostly waiting on downloads and the disk) they are prepared side by side.
    wf_frontend &
    local frontend=$!
    trap 'kill "$frontend" 2>/dev/null || true' EXIT
    wf_python_env
    wait "$frontend" || wf_die "the front-end setup failed (its error is above)"
    trap - EXIT
}
