#!/usr/bin/env bash
# Installs the real QR decoder (zbarimg) and SVG rasteriser (rsvg-convert) the QR tests check against.
# Idempotent; the QR decoder tests skip themselves when these are missing, so CI runs this first.
set -euo pipefail
if command -v zbarimg >/dev/null 2>&1 && command -v rsvg-convert >/dev/null 2>&1; then exit 0; fi
printf '#clear DPkg::Post-Invoke;\n' > /tmp/apt-noclean.conf
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get -c /tmp/apt-noclean.conf install -y -qq zbar-tools librsvg2-bin >/dev/null
