"""The shipped design assets in a real browser, without the app: Public/fonts/InterVariable.woff2 and
Public/icons/sprite.svg (built by Tools/assets/build_assets.sh).

A plain HTTP server (Python's http.server) serves a temporary folder with a small test page and copies of the two
files: Chromium does not follow <use href="file.svg#id"> for file:// pages. Checks: the @font-face loads and is
used, with its weight axis varying the text; every icon listed in Tools/assets/build_sprite.py is a symbol in the
sprite, renders through <svg><use>, and is painted in the text colour (currentColor).
"""

import base64
import functools
import importlib.util
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.common.exceptions import TimeoutException

from conftest import REPO, wait_until

FONT = REPO / "Public/fonts/InterVariable.woff2"
SPRITE = REPO / "Public/icons/sprite.svg"
SAMPLE = "Reverse Mentoring – Übersicht: Größe, Straße, „Äpfel“ … 1 234,50 € → ✓"


def _icons():
    """ICONS (purpose -> Bootstrap Icons name) from Tools/assets/build_sprite.py, the list the sprite is built from."""
    spec = importlib.util.spec_from_file_location("build_sprite", REPO / "Tools/assets/build_sprite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ICONS


ICONS = _icons()

PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Assets</title>
<style>
  @font-face { font-family: "Inter"; src: url("InterVariable.woff2") format("woff2"); font-weight: 100 900;
               font-style: normal; font-display: block; }
  body { margin: 8px; font-family: "Inter", monospace; background: #fff; }
  #icons { display: flex; flex-wrap: wrap; gap: 8px; color: rgb(255, 0, 0); }
  #icons svg { width: 32px; height: 32px; }
</style></head>
<body><p id="sample">%s</p><div id="icons">%s</div>
<svg id="nonexistent" width="32" height="32"><use href="sprite.svg#i-does-not-exist"></use></svg>
</body></html>
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def asset_page(tmp_path):
    """URL of a test page beside copies of the two assets, served over HTTP on a free port for this test only."""
    assert FONT.is_file() and SPRITE.is_file(), "run Tools/assets/build_assets.sh first"
    shutil.copy(FONT, tmp_path / FONT.name)
    shutil.copy(SPRITE, tmp_path / SPRITE.name)
    icons = "".join('<svg data-icon="i-%s" aria-hidden="true"><use href="sprite.svg#i-%s"></use></svg>' % (name, name)
                    for name in ICONS)
    (tmp_path / "index.html").write_text(PAGE % (SAMPLE, icons), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d/index.html" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_licences_ship_beside_the_assets():
    ofl = (REPO / "Public/fonts/OFL.txt").read_text(encoding="utf-8")
    assert ofl.startswith("Inter ") and "SIL OPEN FONT LICENSE Version 1.1" in ofl and "Copyright" in ofl
    mit = (REPO / "Public/icons/LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("Bootstrap Icons ") and "Permission is hereby granted" in mit


def test_inter_loads_and_its_weight_axis_varies(browser, asset_page):
    browser.get(asset_page)
    browser.set_script_timeout(20)
    result = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        document.fonts.load('16px Inter', arguments[0]).then(faces => {
            const canvas = document.createElement('canvas').getContext('2d');
            const width = weight => { canvas.font = weight + ' 40px Inter'; return canvas.measureText(arguments[0]).width; };
            done(JSON.stringify({
                faces: faces.map(f => ({family: f.family, status: f.status, weight: f.weight})),
                check: document.fonts.check('16px Inter', arguments[0]),
                fetched: performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.woff2')),
                used: getComputedStyle(document.getElementById('sample')).fontFamily,
                widths: [100, 300, 400, 450, 500, 700, 900].map(width),
            }));
        }, error => done(JSON.stringify({error: String(error)})));
    """, SAMPLE)
    result = json.loads(result)
    assert "error" not in result, result
    assert [f["status"] for f in result["faces"]] == ["loaded"], result
    assert result["faces"][0]["family"].strip('"') == "Inter" and result["faces"][0]["weight"] == "100 900", result
    assert result["check"] is True, result
    assert [url.rsplit("/", 1)[1] for url in result["fetched"]] == ["InterVariable.woff2"], result
    assert result["used"].startswith('Inter') or result["used"].startswith('"Inter"'), result
    # A variable font: every step along the weight axis, also between the named weights, widens the text.
    widths = result["widths"]
    assert all(a < b for a, b in zip(widths, widths[1:])), "widths by weight 100…900: %r" % widths


def test_every_icon_is_a_symbol_that_renders_in_the_text_colour(browser, asset_page):
    browser.get(asset_page)
    browser.set_script_timeout(20)
    sprite = json.loads(browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch('sprite.svg').then(r => r.text()).then(text => {
            const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
            done(JSON.stringify({
                root: svg.namespaceURI + ' ' + svg.localName,
                symbols: Array.from(svg.children).filter(e => e.localName === 'symbol').map(s => ({
                    id: s.id, viewBox: s.getAttribute('viewBox'), fill: s.getAttribute('fill'),
                    drawn: s.children.length,
                    stray: Array.from(s.querySelectorAll('*')).flatMap(e => ['width', 'height', 'fill', 'class', 'id', 'style']
                        .filter(a => e.hasAttribute(a)).map(a => e.localName + '@' + a)),
                })),
            }));
        }, error => done(JSON.stringify({error: String(error)})));
    """))
    assert "error" not in sprite, sprite
    assert sprite["root"] == "http://www.w3.org/2000/svg svg"
    ids = [s["id"] for s in sprite["symbols"]]
    assert ids == ["i-" + name for name in ICONS], "sprite.svg is out of date: run Tools/assets/build_assets.sh"
    for symbol in sprite["symbols"]:
        assert symbol["viewBox"] == "0 0 16 16" and symbol["fill"] == "currentColor", symbol
        assert symbol["drawn"] > 0 and symbol["stray"] == [], symbol

    # Each <use> draws its symbol once the sprite has loaded; a missing id draws nothing.
    def boxes(driver):
        found = driver.execute_script("""
            const box = e => { const b = e.querySelector('use').getBBox(); return [b.width, b.height]; };
            return Object.fromEntries(Array.from(document.querySelectorAll('svg[data-icon], #nonexistent'))
                .map(e => [e.dataset.icon || 'nonexistent', box(e)]));""")
        return found if all(w > 0 and h > 0 for name, (w, h) in found.items() if name != "nonexistent") else False
    try:
        found = wait_until(browser, boxes, timeout=15)
    except TimeoutException:
        empty = [name for name, (w, h) in browser.execute_script(
            "return Array.from(document.querySelectorAll('svg[data-icon]')).map(e => {"
            "  const b = e.querySelector('use').getBBox(); return [e.dataset.icon, [b.width, b.height]]; })") if not w * h]
        pytest.fail("icons with an empty bounding box through <use>: %s" % empty)
    assert found.pop("nonexistent") == [0, 0]
    assert sorted(found) == sorted("i-" + name for name in ICONS)

    # Painted in the surrounding `color` (red here): count red pixels of a screenshot inside each icon's box.
    screenshot = base64.b64decode(browser.get_screenshot_as_base64())
    red = json.loads(browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const image = new Image();
        image.onload = () => {
            const scale = image.width / window.innerWidth;
            const canvas = document.createElement('canvas');
            canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const result = {};
            for (const icon of document.querySelectorAll('svg[data-icon]')) {
                const r = icon.getBoundingClientRect();
                const data = context.getImageData(Math.round(r.left * scale), Math.round(r.top * scale),
                                                  Math.round(r.width * scale), Math.round(r.height * scale)).data;
                let count = 0;
                for (let i = 0; i < data.length; i += 4)
                    if (data[i] > 200 && data[i + 1] < 80 && data[i + 2] < 80) count++;
                result[icon.dataset.icon] = count;
            }
            done(JSON.stringify(result));
        };
        image.onerror = () => done(JSON.stringify({error: 'screenshot did not load'}));
        image.src = 'data:image/png;base64,' + arguments[0];
    """, base64.b64encode(screenshot).decode("ascii")))
    assert "error" not in red, red
    faint = {name: count for name, count in red.items() if count < 20}
    assert not faint, "icons with (almost) no pixels in the text colour: %s" % faint
