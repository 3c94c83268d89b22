#!/usr/bin/env bash
# Builds the design assets the app ships in Public/ from Debian packages, reproducibly: the same package versions
# and the pinned PyPI tools (Tools/assets/requirements.txt) give byte-identical files, so running it again changes
# nothing. Run from anywhere: bash Tools/assets/build_assets.sh   (root only needed if a package is missing)
#
#   Public/fonts/InterVariable.woff2  Inter, variable (wght 100–900), upright only, from Debian `fonts-inter-variable`
#                                     (inter-vf/Inter-roman.var.ttf; Debian's `fonts-inter` has static OTFs only),
#                                     subset with fontTools' pyftsubset to UNICODES (Basic Latin, Latin-1, Latin
#                                     Extended-A, the usual punctuation, €, arrows, ✓ ✗) with the default OpenType
#                                     features (kern, liga, calt, ccmp, locl, mark, frac, …) plus FEATURES
#                                     (tnum tabular figures, case, zero, ss01 open digits, ss02 disambiguation).
#                                     Italics are left to the browser's synthetic slant (the italic VF would add 47 kB).
#   Public/fonts/OFL.txt              its licence: SIL Open Font License 1.1, from the package's copyright file.
#   Public/icons/sprite.svg           Bootstrap Icons from Debian `bootstrap-icons` (MIT) as one SVG of
#                                     <symbol id="i-PURPOSE" viewBox="0 0 16 16" fill="currentColor">, built by
#                                     Tools/assets/build_sprite.py. Use: <svg class="icon" aria-hidden="true">
#                                     <use href="/icons/sprite.svg#i-mail"></use></svg>; the icon takes `color`.
#   Public/icons/LICENSE              their licence: MIT, from the package's copyright file.
#
# Add an icon: one line in ICONS in Tools/assets/build_sprite.py (purpose name -> Bootstrap Icons name, see
# /usr/share/bootstrap-icons/svg/), then run this script and commit Public/icons/sprite.svg;
# Tests/browser/test_assets.py checks that every listed icon renders. Add characters or OpenType features: UNICODES
# or FEATURES below (keep the woff2 well under 150 kB; the script prints its size).
# Python tools live in Tools/assets/.venv (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."

FONT_PACKAGE=fonts-inter-variable
FONT_SOURCE=/usr/share/fonts/truetype/inter-vf/Inter-roman.var.ttf
ICON_PACKAGE=bootstrap-icons
ICON_DIR=/usr/share/bootstrap-icons/svg
FONT_OUT=Public/fonts/InterVariable.woff2
SPRITE_OUT=Public/icons/sprite.svg
VENV=Tools/assets/.venv

# Basic Latin, Latin-1 Supplement, Latin Extended-A; spaces (incl. thin and narrow no-break, as in "z. B."), dashes,
# quotes ‘ ’ ‚ “ ” „, † ‡ • ‥ …, ‰ ′ ″ ‹ › ⁄; €, ™, ← ↑ → ↓, − (minus), ✓, ✗.
UNICODES="U+0020-007E,U+00A0-00FF,U+0100-017F,U+2000-200B,U+2010-2027,U+202F,U+2030,U+2032-2033,U+2039-203A,U+2044,\
U+20AC,U+2122,U+2190-2193,U+2212,U+2713,U+2717"
FEATURES="tnum,case,zero,ss01,ss02"

# --- Debian packages -------------------------------------------------------------------------------------------
missing=()
for package in "$FONT_PACKAGE" "$ICON_PACKAGE"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "build_assets.sh: installing ${missing[*]} from Debian" >&2
    # A private archive directory: the image's docker-clean hook (rm /var/cache/apt/archives/*.deb after each dpkg
    # run) may fire from another apt-get on the machine mid-install (see shared TOOLING notes).
    aptdir=$(mktemp -d)
    trap 'rm -rf "$aptdir"' EXIT
    mkdir -p "$aptdir/archives/partial"
    chmod 755 "$aptdir" "$aptdir/archives"
    chown _apt "$aptdir/archives/partial" 2>/dev/null || true
    printf '#clear DPkg::Post-Invoke;\n' >"$aptdir/noclean.conf"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -c "$aptdir/noclean.conf" -o Dir::Cache::archives="$aptdir/archives/" \
        -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >"$aptdir/apt.log" 2>&1 ||
        { tail -n 30 "$aptdir/apt.log" >&2; exit 1; }
fi
[ -f "$FONT_SOURCE" ] || { echo "build_assets.sh: $FONT_SOURCE not found (package $FONT_PACKAGE)" >&2; exit 1; }
[ -d "$ICON_DIR" ] || { echo "build_assets.sh: $ICON_DIR not found (package $ICON_PACKAGE)" >&2; exit 1; }
font_package_version=$(dpkg-query -W -f='${Version}' "$FONT_PACKAGE")
icon_package_version=$(dpkg-query -W -f='${Version}' "$ICON_PACKAGE")
icon_version=${icon_package_version%%+*}  # 1.10.3+dfsg-1 -> 1.10.3

# --- Python tools (fontTools + brotli for WOFF2) ----------------------------------------------------------------
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r Tools/assets/requirements.txt

# --- Font ------------------------------------------------------------------------------------------------------
mkdir -p Public/fonts Public/icons
# No --recalc-timestamp (the default): head.modified stays the source's, so the output does not depend on the date.
"$VENV/bin/pyftsubset" "$FONT_SOURCE" --unicodes="$UNICODES" --layout-features+="$FEATURES" \
    --name-IDs=0,1,2,3,4,5,6,13,14 --flavor=woff2 --output-file="$FONT_OUT.tmp"
mv "$FONT_OUT.tmp" "$FONT_OUT"
# Check what the UI relies on, and read the font's own version for the licence header.
font_version=$("$VENV/bin/python" - "$FONT_OUT" "$FEATURES" <<'EOF'
import re, sys
from fontTools.ttLib import TTFont
font = TTFont(sys.argv[1])
cmap = font.getBestCmap()
needed = ("AZaz09äöüÄÖÜßéèêçñøåæœŒčšžłőűĞİ€–—‘’‚“”„•…‹›←→↑↓✓✗−\u00a0\u202f")
missing = [c for c in needed if ord(c) not in cmap]
assert not missing, "characters missing from the subset: %r" % missing
axes = {a.axisTag: (a.minValue, a.maxValue) for a in font["fvar"].axes}
assert axes.get("wght") == (100, 900), "wght axis: %r" % axes
features = {r.FeatureTag for table in ("GSUB", "GPOS") for r in font[table].table.FeatureList.FeatureRecord}
wanted = {"kern", "calt", *sys.argv[2].split(",")}
assert wanted <= features, "OpenType features missing: %r" % (wanted - features)
version = font["name"].getDebugName(5)
print(re.match(r"Version ([0-9.]+)", version).group(1))
EOF
)

copyright=/usr/share/doc/$FONT_PACKAGE/copyright
font_copyright=$(awk '/^Files: \*$/ {f = 1; next} f && /^Copyright:/ {sub(/^Copyright: */, ""); print; exit}' "$copyright")
{
    echo "Inter $font_version (variable, upright; subset as InterVariable.woff2 by Tools/assets/build_assets.sh)" \
         "from the Debian package $FONT_PACKAGE $font_package_version, upstream https://github.com/rsms/inter"
    echo
    echo "Copyright (c) $font_copyright"
    echo
    echo "This Font Software is licensed under the SIL Open Font License, Version 1.1."
    echo "This license is copied below, and is also available with a FAQ at: https://openfontlicense.org"
    echo
    echo "-----------------------------------------------------------"
    echo "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007"
    echo "-----------------------------------------------------------"
    echo
    awk 'prev == "" && /^License: OFL-1.1$/ {on = 1; next} on && /^ / {sub(/^ /, ""); if ($0 == ".") $0 = ""; print; next} on {exit} {prev = $0}' \
        "$copyright"
} >Public/fonts/OFL.txt
grep -q '^PERMISSION & CONDITIONS$' Public/fonts/OFL.txt || { echo "build_assets.sh: no OFL text in $copyright" >&2; exit 1; }

# --- Icons -----------------------------------------------------------------------------------------------------
"$VENV/bin/python" Tools/assets/build_sprite.py --svg-dir "$ICON_DIR" --version "$icon_version" "$SPRITE_OUT"
copyright=/usr/share/doc/$ICON_PACKAGE/copyright
icon_copyright=$(awk '/^Files: \*$/ {f = 1; next} f && /^Copyright:/ {sub(/^Copyright: */, ""); print; exit}' "$copyright")
{
    echo "Bootstrap Icons $icon_version (https://icons.getbootstrap.com), SVG paths from the Debian package" \
         "$ICON_PACKAGE $icon_package_version, combined into sprite.svg by Tools/assets/build_sprite.py"
    echo
    echo "The MIT License (MIT)"
    echo
    echo "Copyright (c) $icon_copyright"
    echo
    awk 'prev == "" && /^License: MIT$/ {on = 1; next} on && /^ / {sub(/^ /, ""); if ($0 == ".") $0 = ""; print; next} on {exit} {prev = $0}' \
        "$copyright"
} >Public/icons/LICENSE
grep -q '^Permission is hereby granted' Public/icons/LICENSE || { echo "build_assets.sh: no MIT text in $copyright" >&2; exit 1; }

# --- Report ----------------------------------------------------------------------------------------------------
for file in "$FONT_OUT" Public/fonts/OFL.txt "$SPRITE_OUT" Public/icons/LICENSE; do
    printf '%-34s %7d bytes  sha256 %s\n' "$file" "$(stat -c %s "$file")" "$(sha256sum "$file" | cut -d' ' -f1)"
done
printf 'sprite.svg gzipped: %d bytes; icons: %d\n' "$(gzip -9n <"$SPRITE_OUT" | wc -c)" "$(grep -c '<symbol ' "$SPRITE_OUT")"
