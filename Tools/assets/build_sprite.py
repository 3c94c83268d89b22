#!/usr/bin/env python3
"""Builds Public/icons/sprite.svg from Debian's bootstrap-icons (MIT): one <symbol id="i-NAME"> per icon.

ICONS maps the app's name for an icon (by purpose: where it is used, not what it shows) to the Bootstrap
Icons file name (/usr/share/bootstrap-icons/svg/NAME.svg; browse them at icons.getbootstrap.com, version
1.10.3). To add an icon: add a line here, run Tools/assets/build_assets.sh, use it as
    <svg class="icon" aria-hidden="true"><use href="/icons/sprite.svg#i-NAME"></use></svg>
Tests/browser/test_assets.py reads ICONS and checks that each symbol renders.

Each symbol keeps the original's viewBox and drawing elements unchanged; the original's width, height, class
and fill attributes are dropped and the symbol gets fill="currentColor", so an icon takes the text colour of
the element it is used in (set `color`, not `fill`). Output is deterministic (ICONS order, fixed formatting).

Usage: build_sprite.py [--svg-dir DIR] [--version VERSION] OUTPUT
"""

import argparse
import os
import sys
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"

ICONS = {
    # navigation and layout
    "home": "house",
    "dashboard": "speedometer2",
    "menu": "list",
    "arrow-right": "arrow-right",
    "arrow-left": "arrow-left",
    "chevron-right": "chevron-right",
    "chevron-down": "chevron-down",
    "external": "box-arrow-up-right",
    "search": "search",
    "filter": "funnel",
    "settings": "gear",
    "help": "question-circle",
    # people, programme, time
    "user": "person",
    "users": "people",
    "programme": "journal-text",
    "calendar": "calendar-event",
    "clock": "clock",
    "shuffle": "shuffle",
    "chat": "chat-dots",
    "lightbulb": "lightbulb",
    "flag": "flag",
    "star": "star",
    "star-fill": "star-fill",
    "heart": "heart",
    # mail and documents
    "mail": "envelope",
    "send": "send",
    "outbox": "inbox",
    "print": "printer",
    "qr": "qr-code",
    "download": "download",
    "upload": "upload",
    "link": "link-45deg",
    "copy": "clipboard",
    # actions
    "edit": "pencil",
    "trash": "trash",
    "check": "check-lg",
    "x": "x-lg",
    "plus": "plus-lg",
    "refresh": "arrow-repeat",
    # status messages
    "success": "check-circle",
    "info": "info-circle",
    "warning": "exclamation-triangle",
    "error": "x-circle",
    # sign-in, privacy, language
    "sign-in": "box-arrow-in-right",
    "leave": "box-arrow-right",
    "lock": "lock",
    "shield": "shield-check",
    "globe": "globe",
    # live kickoff (video call)
    "video": "camera-video",
    "video-off": "camera-video-off",
    "mic": "mic",
    "mic-off": "mic-mute",
    "play": "play-fill",
    "pause": "pause-fill",
}

DROPPED_ROOT_ATTRIBUTES = {"width", "height", "fill", "class", "viewBox"}
ALLOWED_ELEMENTS = {"path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "g"}
ALLOWED_ATTRIBUTES = {"d", "fill-rule", "clip-rule", "cx", "cy", "r", "rx", "ry", "x", "y", "width", "height",
                      "x1", "y1", "x2", "y2", "points", "transform"}


def local(name):
    return name.split("}", 1)[1] if name.startswith("{") else name


def symbol_for(purpose, path):
    root = ET.parse(path).getroot()
    if root.tag != "{%s}svg" % SVG_NS:
        raise SystemExit("%s: root is %s, not an SVG element" % (path, root.tag))
    view_box = root.get("viewBox")
    if view_box != "0 0 16 16":
        raise SystemExit("%s: viewBox %r, expected '0 0 16 16'" % (path, view_box))
    unexpected = set(root.attrib) - DROPPED_ROOT_ATTRIBUTES
    if unexpected:
        raise SystemExit("%s: unexpected attributes on <svg>: %s" % (path, sorted(unexpected)))
    symbol = ET.Element("symbol", {"id": "i-" + purpose, "viewBox": view_box, "fill": "currentColor"})

    def copy(source, parent):
        tag = local(source.tag)
        if tag not in ALLOWED_ELEMENTS:
            # ids (clipPath, defs, …) would clash between symbols; no chosen icon has them so far.
            raise SystemExit("%s: element <%s> is not handled by build_sprite.py" % (path, tag))
        attributes = {}
        for name, value in source.attrib.items():
            if local(name) not in ALLOWED_ATTRIBUTES or name != local(name):
                raise SystemExit("%s: attribute %s on <%s> is not handled by build_sprite.py" % (path, name, tag))
            attributes[name] = value
        element = ET.SubElement(parent, tag, attributes)
        for child in source:
            copy(child, element)

    children = list(root)
    if not children:
        raise SystemExit("%s: no drawing elements" % path)
    for child in children:
        copy(child, symbol)
    return symbol


def build(svg_dir, version):
    lines = ['<svg xmlns="%s">' % SVG_NS,
             "<!-- Bootstrap Icons %s (MIT licence, see LICENSE beside this file); built by "
             "Tools/assets/build_assets.sh from Tools/assets/build_sprite.py -->" % version]
    for purpose, name in ICONS.items():
        path = os.path.join(svg_dir, name + ".svg")
        if not os.path.exists(path):
            raise SystemExit("icon %r: %s does not exist" % (purpose, path))
        lines.append(ET.tostring(symbol_for(purpose, path), encoding="unicode", short_empty_elements=True))
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output")
    parser.add_argument("--svg-dir", default="/usr/share/bootstrap-icons/svg")
    parser.add_argument("--version", default="1.10.3")
    arguments = parser.parse_args()
    text = build(arguments.svg_dir, arguments.version)
    ET.fromstring(text)  # well-formed
    os.makedirs(os.path.dirname(os.path.abspath(arguments.output)), exist_ok=True)
    temporary = arguments.output + ".tmp"
    with open(temporary, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(temporary, arguments.output)
    print("build_sprite.py: %d icons -> %s" % (len(ICONS), arguments.output), file=sys.stderr)


if __name__ == "__main__":
    main()
