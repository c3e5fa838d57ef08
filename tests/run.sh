#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what is missing
# (Xvfb, Tk, venv support from Debian; the Python dependencies into .venv),
# then runs ruff, import-linter (the layer contracts in pyproject.toml), mypy,
# mkdocs build --strict (the user guide in docs/: no broken link) and
# pytest: tests/unit (no display, no kernel: fast) first, then
# tests/integration, which starts its own Xvfb display.  Arguments go to
# pytest: `bash tests/run.sh tests/unit` runs the fast part alone.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in dbus-daemon:dbus-daemon gsettings:libglib2.0-bin xrdb:x11-xserver-utils desktop-file-validate:desktop-file-utils; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool#*:}")  # desktop integration tests
done
[ -d /usr/share/glib-2.0/schemas ] && ls /usr/share/glib-2.0/schemas | grep -q desktop.interface || need+=(gsettings-desktop-schemas)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
python3 -c "import tkinter" >/dev/null 2>&1 || need+=(python3-tk)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need+=(python3-venv)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)  # the ssh tunnel tests run a loopback sshd
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)  # the Hub tests' proxy
# the token tests: a real Secret Service on a private D-Bus session bus
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
if ((${#need[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

venv="${TKCONSOLE_VENV:-.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"

# Enterprise Gateway 3.3 pins jupyter_server<2 and jupyter_client<7: its own venv,
# made once (about 40 s) and kept like .venv.
eg_venv="${TKCONSOLE_EG_VENV:-.venv-eg}"
if [ ! -x "$eg_venv/bin/jupyter-enterprisegateway" ]; then
    python3 -m venv "$eg_venv"
    "$eg_venv/bin/python" -m pip install -q --disable-pip-version-check \
        "jupyter-enterprise-gateway==3.3.0" "ipykernel<7"
fi

# JupyterHub's proxy: the npm configurable-http-proxy (the PyPI package of that name
# does not pass the websocket subprotocol answer back), in a folder of the project's.
if [ ! -x .hub-proxy/node_modules/.bin/configurable-http-proxy ]; then
    npm install --prefix .hub-proxy --no-audit --no-fund --silent "configurable-http-proxy@4"
fi

"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .
"$venv/bin/lint-imports" --no-cache
# the whole package, as [tool.mypy] in pyproject.toml says; no cache, like lint-imports
# (an incremental run once reported a Protocol mismatch that a clean run did not)
"$venv/bin/mypy" --cache-dir=/dev/null
site="$(mktemp -d)"  # the user guide, built to check it (links, anchors), then dropped
trap 'rm -rf "$site"' EXIT
"$venv/bin/mkdocs" build --strict --site-dir "$site"  # not --quiet: it hides what --strict counts
rm -rf "$site"
trap - EXIT
export TKCONSOLE_REQUIRE_EG=1  # the gateway tests run, never skip, here
export TKCONSOLE_REQUIRE_HUB=1  # and so do the JupyterHub tests
export TKCONSOLE_REQUIRE_KEYRING=1  # and the Secret Service ones
unset DISPLAY  # always a private Xvfb, never the developer's screen
exec "$venv/bin/python" -m pytest -q "$@"
