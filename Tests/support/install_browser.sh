#!/usr/bin/env bash
# Installs what the browser tests (Tests/browser) need; safe to run again (does nothing that is already done):
#   Debian chromium + chromium-driver, zbar-tools (zbarimg, for the QR codes in test_intake.py), and .venv with
#   Tests/support/requirements.txt (selenium, pytest, axe).
# Run from anywhere; needs root for apt. Then: .venv/bin/pytest Tests/browser -q
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v openssl >/dev/null || missing+=(openssl)  # the SMTP test server makes a self-signed certificate
command -v zbarimg >/dev/null || missing+=(zbar-tools)  # test_intake.py decodes QR screenshots with it
if [ ${#missing[@]} -gt 0 ]; then
    echo "install_browser.sh: installing ${missing[*]} from Debian" >&2
    # The image's docker-clean hook deletes .debs after each dpkg run, which breaks the large chromium
    # install half-way ("cannot stat pathname ... .deb"); clear the hook for this install only.
    # Download into a private archive directory too: the hook's `rm -f /var/cache/apt/archives/*.deb` also
    # runs from any other apt-get on the machine at the same time. One retry (after `dpkg --configure -a`)
    # finishes an install that was still interrupted.
    aptdir=$(mktemp -d)
    trap 'rm -rf "$aptdir"' EXIT
    mkdir -p "$aptdir/archives/partial"
    chmod 755 "$aptdir" "$aptdir/archives"  # apt downloads as user _apt
    chown _apt "$aptdir/archives/partial" 2>/dev/null || true
    printf '#clear DPkg::Post-Invoke;\n' >"$aptdir/noclean.conf"
    apt_install() {
        DEBIAN_FRONTEND=noninteractive apt-get -c "$aptdir/noclean.conf" -o Dir::Cache::archives="$aptdir/archives/" \
            install -y -qq "${missing[@]}" >"$aptdir/apt.log" 2>&1
    }
    apt-get update -qq
    if ! apt_install; then
        echo "install_browser.sh: apt-get install failed, retrying once:" >&2
        tail -n 5 "$aptdir/apt.log" >&2
        dpkg --configure -a >/dev/null 2>&1 || true
        if ! apt_install; then
            tail -n 40 "$aptdir/apt.log" >&2
            exit 1
        fi
    fi
fi

bash Tests/support/setup_venv.sh >/dev/null

echo "install_browser.sh: $(chromium --version 2>/dev/null | head -1); $(chromedriver --version | head -1 | cut -d' ' -f1-2);" \
     "selenium $(.venv/bin/python -c 'import selenium; print(selenium.__version__)')" >&2
