"""Look and feel (issue #13), as evidence: every main page at 390 and 1280 px in the light and the dark scheme.

For each page and scheme: a full-height screenshot per width into $BROWSER_SCREENSHOTS (default /tmp/screenshots),
named <page>-<width>-<scheme>.png; axe-core at both widths, failing on any serious or critical violation (all rules
on, so color-contrast checks the text in both schemes); no sideways scrolling at 390 px. On the members page the
row actions of the invitations table (Erneut senden, Drucken, Zurückziehen) lie fully inside a phone's width and
are at least 44 px high. On the cockpit the keyboard walk: Tab from the top reaches the skip link, then the header
links, and each of the first 25 stops shows a focus indicator; at 390 px the menu button opens the navigation with
Enter and Escape closes it again, focus back on the button.

Keyboard-only walks of the main flows (keys sent to whatever has focus; elements are located only to see where
focus is; every stop shows a focus indicator): a mentor applies on the public form and confirms by e-mail, the
organiser signs in by e-mail link, preselects that application in the review queue, and at 390 px reaches the
account page through the phone menu. They run before the kickoff test, in a browser of their own.

Pages: start page, sign-in and the public application form (nobody signed in); the organiser's dashboard,
programme cockpit, review queue, members, kickoff plan, outbox and account; the home page (participants' cards)
of a mentor and of a mentee; last, the shortlist of both after a kickoff the organiser starts and ends at once
(the two connected to the live page, so the server plans them into round 1 together). The lobby, talk and break
of the live page are screenshotted by test_kickoff_event.py (same folder when $BROWSER_SCREENSHOTS is set).

The module runs its own app and SMTP server (a new database, so the demo as `serve` creates it): the pages look
the same whatever other modules did before, and starting and ending the kickoff here touches no other module.
One browser per role, signed in once: the visitor's browser becomes the organiser's.
"""

import datetime
import os
import re
import urllib.request
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import TimeoutException, WebDriverException

from conftest import (DEMO_ORGANISER, DESKTOP, FAKE_MEDIA, PHONE, click_and_wait, describe, flashes, horizontal_overflow,
                      main_text, mark_page, new_driver, run_axe, run_servers, set_viewport, sign_in_by_email,
                      wait_for_new_page, wait_until, xpath_literal)

SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "/tmp/screenshots")
SCHEMES = ("light", "dark")
MAX_SHOT_HEIGHT = 4000
SERIOUS = ("serious", "critical")
ADDRESSES = {"organiser": DEMO_ORGANISER, "mentor": "lea.brandt@demo.example", "mentee": "karin.vogt@demo.example"}
ROW_ACTIONS = ("Erneut senden", "Drucken", "Zurückziehen")
TAB_STOPS = 25
PROGRAMME = "/organiser/programmes/{id}"

# name, who looks at it, path ({id}: the demo programme), the h1 it must show (a start; None: any).
PAGES = [
    ("start", "anonymous", "/", "Reverse Mentoring"),
    ("sign-in", "anonymous", "/login", "Anmelden"),
    ("application-form", "anonymous", "/programmes/{id}/apply", "Bewerbung als Mentor:in"),
    ("dashboard-organiser", "organiser", "/dashboard", "Hallo Dana Demo"),
    ("cockpit", "organiser", PROGRAMME, "Reverse Mentoring 2027"),
    ("review-queue", "organiser", PROGRAMME + "/applications", "Bewerbungen"),
    ("members", "organiser", PROGRAMME + "/members", "Mentees & Einladungen"),
    ("kickoff-plan", "organiser", PROGRAMME + "/kickoff", "Kickoff & Speed Networking"),
    ("outbox", "organiser", "/organiser/outbox", "Postausgang"),
    ("account", "organiser", "/account", "Mein Konto"),
    ("dashboard-mentor", "mentor", "/dashboard", "Hallo Lea Brandt"),
    ("dashboard-mentee", "mentee", "/dashboard", "Hallo Dr. Karin Vogt"),
]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with run_servers(tmp_path_factory.mktemp("look-and-feel")) as running:
        yield running


@pytest.fixture(scope="module")
def programme_id(servers):
    """The demo programme's id, from the apply link on the start page (as a visitor finds it)."""
    with urllib.request.urlopen(servers.url("/"), timeout=30) as response:
        page = response.read().decode("utf-8")
    found = re.findall(r"/programmes/([0-9A-Fa-f-]{36})/apply", page)
    assert found, "no apply link on the start page:\n" + page[:2000]
    return found[0]


class People:
    """One headless Chromium per role, signed in (through the e-mail) the first time it is asked for.

    The visitor and the organiser share a browser: it signs in when the organiser is wanted, and forgets its cookies
    when the visitor is wanted again. Mentor and mentee have their own (both are on the live page at once)."""

    def __init__(self, servers):
        self.servers = servers
        self.drivers = {}
        self.role_of = {}

    def __call__(self, role):
        key = "site" if role in ("anonymous", "organiser") else role
        if key not in self.drivers:
            # Participants get a fake camera and microphone: the live page's lobby asks for them.
            self.drivers[key] = new_driver(extra_arguments=() if key == "site" else FAKE_MEDIA)
        driver = self.drivers[key]
        if self.role_of.get(key) != role:
            if key in self.role_of:
                driver.delete_all_cookies()
            self.role_of.pop(key, None)
            if role != "anonymous":
                sign_in_by_email(driver, self.servers, ADDRESSES[role])
            self.role_of[key] = role
        return driver

    def quit(self):
        for driver in self.drivers.values():
            try:
                driver.quit()
            except Exception:  # noqa: BLE001 - the others must quit too
                pass


@pytest.fixture(scope="module")
def people(servers):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    crowd = People(servers)
    try:
        yield crowd
    finally:
        crowd.quit()


# --- looking at a page ------------------------------------------------------------------------------------------

def set_scheme(driver, scheme):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})


def settle(driver):
    """Fonts loaded and two frames drawn at the current size and scheme."""
    driver.set_script_timeout(30)
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));")


def page_path(driver, servers):
    return driver.current_url[len(servers.base_url):].split("?")[0].split("#")[0]


def open_page(driver, servers, path, heading, scheme):
    """Loads the page in the scheme (loaded afresh, so no colour transition is caught half-way) and checks that it
    is the page meant: not a redirect, not an error page, the expected h1."""
    set_scheme(driver, scheme)
    set_viewport(driver, *PHONE)
    driver.get(servers.url(path))
    landed = page_path(driver, servers)
    assert landed == path, "%s: landed on %s (h1 %r)" % (path, landed, [h.text for h in driver.find_elements(By.TAG_NAME, "h1")])
    assert not driver.find_elements(By.CSS_SELECTOR, ".error-code"), \
        "%s: error page: %s" % (path, driver.find_element(By.TAG_NAME, "main").text[:500])
    if heading:
        h1 = driver.find_element(By.TAG_NAME, "h1").text
        assert h1.startswith(heading), "%s: h1 %r, expected %r…" % (path, h1, heading)
    dark = driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    assert dark == (scheme == "dark"), "the emulated colour scheme did not reach the page (%s)" % scheme


def screenshot_full_height(driver, name, width, height, scheme):
    """The whole page (up to MAX_SHOT_HEIGHT px): the viewport as tall as the document, then the screenshot.
    Leaves the viewport at that height (axe then sees every element on screen)."""
    needed = driver.execute_script("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    set_viewport(driver, width, min(max(height, needed), MAX_SHOT_HEIGHT))
    driver.execute_script("window.scrollTo(0, 0)")
    settle(driver)
    path = os.path.join(SCREENSHOTS, "%s-%d-%s.png" % (name, width, scheme))
    assert driver.save_screenshot(path), "screenshot %s not written" % path
    return path


def axe_findings(driver, where):
    """axe-core's serious and critical violations, as text naming rule, impact, page and elements ([] if none)."""
    violations = run_axe(driver)
    serious = [v for v in violations if v["impact"] in SERIOUS]
    minor = ", ".join("%s(%s)" % (v["id"], v["impact"]) for v in violations if v["impact"] not in SERIOUS)
    print("axe %s: %s%s" % (where, "%d serious/critical" % len(serious) if serious else "clean",
                           " (also: %s)" % minor if minor else ""))
    return ["axe-core, %s:\n%s" % (where, describe(serious))] if serious else []


def look_at(driver, servers, name, path, heading=None, on_phone=None):
    """Both schemes × both widths: screenshot, axe, and at 390 px the sideways-scrolling check plus `on_phone`
    (a function of the driver returning problems). Returns every problem found, as text."""
    problems = []
    for scheme in SCHEMES:
        open_page(driver, servers, path, heading, scheme)
        for width, height in (PHONE, DESKTOP):
            where = "%s (%s) at %d px, %s scheme" % (name, path, width, scheme)
            set_viewport(driver, width, height)
            settle(driver)
            assert driver.execute_script("return window.innerWidth") == width
            if width == PHONE[0]:
                overflow = horizontal_overflow(driver)
                if overflow:
                    problems.append("sideways scrolling, %s: %s" % (where, overflow))
                if on_phone:
                    problems += ["%s: %s" % (where, problem) for problem in on_phone(driver)]
            screenshot_full_height(driver, name, width, height, scheme)
            problems += axe_findings(driver, where)
    set_viewport(driver, *DESKTOP)
    set_scheme(driver, "light")
    return problems


# --- 1.–3. every page: screenshots, axe in both schemes, no sideways scrolling on a phone -------------------------

def test_axe_checks_contrast_in_the_emulated_dark_scheme(people):
    """The contrast checks below mean something in the dark scheme only if the emulated scheme reaches axe-core's
    color-contrast rule: a page that is readable in light and too dark in dark."""
    driver = people("anonymous")
    driver.get("data:text/html;charset=utf-8,<html lang='de'><head><title>Kontrast</title><style>"
               "@media (prefers-color-scheme: dark) { body { background: %23222; color: %23333 } }</style></head>"
               "<body><main><h1>Kontrast</h1><p>Text</p></main></body></html>")
    found = {}
    for scheme in SCHEMES:
        set_scheme(driver, scheme)
        found[scheme] = {v["id"] for v in run_axe(driver)}
    set_scheme(driver, "light")
    assert "color-contrast" not in found["light"] and "color-contrast" in found["dark"], found


def row_actions_fit(driver):
    """The invitations table's row actions on a phone: each fully inside the viewport (and not clipped by the table's
    scroll box), at least 44 px high."""
    rows = driver.execute_script(
        "const width = window.innerWidth;"
        "return Array.from(document.querySelectorAll('main table tbody tr')).map(tr => ({"
        "  row: (tr.querySelector('th') || tr).innerText.trim().split('\\n')[0].slice(0, 60),"
        "  buttons: Array.from(tr.querySelectorAll('td.actions button, td.actions a')).map(b => {"
        "    const r = b.getBoundingClientRect(), box = b.closest('.table-scroll');"
        "    const clip = box ? box.getBoundingClientRect() : {left: 0, right: width};"
        "    return {text: b.textContent.trim(), left: r.left, right: r.right, height: r.height, width: width,"
        "            clipLeft: clip.left, clipRight: clip.right};"
        "  })}))")
    problems = []
    if not rows:
        return ["no invitations table (the demo has two open invitations)"]
    for row in rows:
        texts = [b["text"] for b in row["buttons"]]
        missing = [text for text in ROW_ACTIONS if text not in texts]
        if missing:
            problems.append("invitation row %r has no %s (buttons: %r)" % (row["row"], ", ".join(missing), texts))
        for b in row["buttons"]:
            label = "invitation row %r, button %r" % (row["row"], b["text"])
            if b["left"] < -0.5 or b["right"] > b["width"] + 0.5:
                problems.append("%s sticks out of the %d px viewport (left %.0f, right %.0f)"
                                % (label, b["width"], b["left"], b["right"]))
            elif b["left"] < b["clipLeft"] - 0.5 or b["right"] > b["clipRight"] + 0.5:
                problems.append("%s is cut off by the table's scroll box (left %.0f, right %.0f; box %.0f–%.0f)"
                                % (label, b["left"], b["right"], b["clipLeft"], b["clipRight"]))
            if b["height"] < 44:
                problems.append("%s is %.0f px high (at least 44)" % (label, b["height"]))
    return problems


@pytest.mark.parametrize("name,role,path,heading", PAGES, ids=[page[0] for page in PAGES])
def test_page_in_both_schemes_and_widths(people, servers, programme_id, name, role, path, heading):
    driver = people(role)
    problems = look_at(driver, servers, name, path.format(id=programme_id), heading,
                       on_phone=row_actions_fit if name == "members" else None)
    assert not problems, "%s (%s):\n\n" % (name, role) + "\n\n".join(problems)


# --- 4. the keyboard: Tab from the top of the cockpit, and the phone's menu ---------------------------------------

FOCUS_STATE = (
    "const e = arguments[0] || document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();"
    "const header = document.querySelector('header.site-header');"
    "const focusable = header ? Array.from(header.querySelectorAll("
    "  'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, summary, [tabindex]:not([tabindex=\"-1\"])'))"
    "  .filter(x => x.getClientRects().length && getComputedStyle(x).visibility !== 'hidden') : [];"
    "return {name: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
    "         + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '')"
    "         + ' \"' + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40) + '\"',"
    "        isBody: e === document.body || e === document.documentElement,"
    "        skip: e.classList.contains('skip-link'), headerIndex: focusable.indexOf(e), headerCount: focusable.length,"
    "        inMain: !!document.getElementById('main') && document.getElementById('main').contains(e),"
    "        outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, outlineColor: s.outlineColor,"
    "        boxShadow: s.boxShadow, width: r.width, height: r.height};")


def transparent(colour):
    return colour in ("transparent", "rgba(0, 0, 0, 0)") or colour.replace(" ", "").endswith(",0)")


def has_outline(state):
    return state["outlineStyle"] != "none" and state["outlineWidth"] > 0 and not transparent(state["outlineColor"])


def tab(driver):
    ActionChains(driver).send_keys(Keys.TAB).perform()


def test_keyboard_walk_on_the_cockpit(people, servers, programme_id):
    driver = people("organiser")
    set_scheme(driver, "light")
    set_viewport(driver, *DESKTOP)
    driver.get(servers.url(PROGRAMME.format(id=programme_id)))
    settle(driver)
    stops, problems = [], []
    previous = None
    for number in range(1, TAB_STOPS + 1):
        tab(driver)
        element = driver.switch_to.active_element
        state = driver.execute_script(FOCUS_STATE, None)
        if previous is not None and not has_outline(previous[1]):
            # Without an outline, a box-shadow counts only if it is not there without focus.
            unfocused = driver.execute_script(FOCUS_STATE, previous[0])
            if previous[1]["boxShadow"] in ("none", unfocused["boxShadow"]):
                problems.append("Tab stop %d, %s: no visible focus indicator (outline-style %s, width %s, colour %s; "
                                "box-shadow %s focused, %s unfocused)"
                                % (previous[2], previous[1]["name"], previous[1]["outlineStyle"],
                                   previous[1]["outlineWidth"], previous[1]["outlineColor"], previous[1]["boxShadow"],
                                   unfocused["boxShadow"]))
        if state["isBody"]:
            break  # past the last focusable element
        stops.append(state)
        if state["width"] < 1 or state["height"] < 1:
            problems.append("Tab stop %d, %s: focused but not visible (%.0f×%.0f)" % (number, state["name"], state["width"], state["height"]))
        previous = (element, state, number)
    if previous is not None and not has_outline(previous[1]):
        driver.execute_script("document.activeElement.blur()")
        unfocused = driver.execute_script(FOCUS_STATE, previous[0])
        if previous[1]["boxShadow"] in ("none", unfocused["boxShadow"]):
            problems.append("Tab stop %d, %s: no visible focus indicator" % (previous[2], previous[1]["name"]))
    walk = "\n".join("%2d. %s%s" % (i + 1, s["name"], "" if has_outline(s) else " (no outline; box-shadow %s)" % s["boxShadow"])
                     for i, s in enumerate(stops))
    print("Tab stops on the cockpit at 1280 px:\n" + walk)

    assert stops, "Tab focused nothing"
    assert stops[0]["skip"], "the first Tab stop is %s, not the skip link\n%s" % (stops[0]["name"], walk)
    header_count = stops[0]["headerCount"]
    assert header_count >= 3, "the header has only %d focusable elements\n%s" % (header_count, walk)
    in_header = [s["headerIndex"] for s in stops[1:1 + header_count]]
    assert in_header == list(range(header_count)), \
        "after the skip link Tab should go through the %d header links in order; went %r\n%s" % (header_count, in_header, walk)
    if len(stops) > 1 + header_count:
        assert stops[1 + header_count]["inMain"], "after the header Tab went to %s, not into main\n%s" \
            % (stops[1 + header_count]["name"], walk)
    assert not problems, "keyboard walk on the cockpit at 1280 px:\n" + "\n".join(problems) + "\n\nstops:\n" + walk


def test_phone_menu_opens_with_enter_and_closes_with_escape(people, servers, programme_id):
    driver = people("organiser")
    path = PROGRAMME.format(id=programme_id)
    problems = []
    for scheme in SCHEMES:
        open_page(driver, servers, path, "Reverse Mentoring 2027", scheme)
        settle(driver)
        toggle = driver.find_element(By.CSS_SELECTOR, ".menu-toggle")
        links = driver.find_elements(By.CSS_SELECTOR, "#site-nav a, #site-nav button")
        assert toggle.is_displayed(), "no menu button at 390 px"
        assert toggle.get_attribute("aria-expanded") == "false"
        assert links and not any(link.is_displayed() for link in links), "the navigation is open before the menu button"
        assert toggle.size["height"] >= 44, "menu button %r" % toggle.size
        # The keyboard reaches the button from the top (skip link, brand, then the menu button).
        for _ in range(5):
            tab(driver)
            if driver.switch_to.active_element == toggle:
                break
        assert driver.switch_to.active_element == toggle, \
            "Tab from the top did not reach the menu button; focus on %s" % driver.switch_to.active_element.get_attribute("outerHTML")[:200]
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".menu-toggle").get_attribute("aria-expanded") == "true",
                   5, "Enter on the menu button did not set aria-expanded=true")
        width = driver.execute_script("return window.innerWidth")
        for link in links:
            if not link.is_displayed():
                problems.append("%s scheme: nav item %r not visible with the menu open" % (scheme, link.text))
                continue
            box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.height]", link)
            if box[0] < -0.5 or box[1] > width + 0.5 or box[2] < 44:
                problems.append("%s scheme: nav item %r at left %.0f, right %.0f, %.0f px high (viewport %d)"
                                % (scheme, link.text, box[0], box[1], box[2], width))
        problems += axe_findings(driver, "cockpit with the menu open at 390 px, %s scheme" % scheme)
        overflow = horizontal_overflow(driver)
        if overflow:
            problems.append("%s scheme: the open menu scrolls sideways: %s" % (scheme, overflow))
        driver.save_screenshot(os.path.join(SCREENSHOTS, "menu-open-%d-%s.png" % (PHONE[0], scheme)))
        # Into the menu, then Escape: closed, focus back on the button.
        tab(driver)
        first = driver.switch_to.active_element
        if first != links[0]:
            problems.append("%s scheme: Tab after opening the menu went to %s, not its first link"
                            % (scheme, first.get_attribute("outerHTML")[:120]))
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".menu-toggle").get_attribute("aria-expanded") == "false",
                   5, "Escape did not close the menu (aria-expanded still true)")
        if any(link.is_displayed() for link in links):
            problems.append("%s scheme: nav links still visible after Escape" % scheme)
        if driver.switch_to.active_element != toggle:
            problems.append("%s scheme: after Escape focus is on %s, not the menu button"
                            % (scheme, driver.switch_to.active_element.get_attribute("outerHTML")[:120]))
    set_viewport(driver, *DESKTOP)
    set_scheme(driver, "light")
    assert not problems, "the phone menu:\n" + "\n".join(problems)


# --- 5. keyboard-only walks of the main flows (issue #13) ---------------------------------------------------------
#
# After the first page of a walk is loaded (driver.get), everything happens with keys sent to whatever has focus:
# Tab and Shift+Tab to move, typing into the focused field, Space for a checkbox, Enter for links and buttons.
# Elements are located only to see where focus is. tab_to fails with every stop it passed when it does not get
# where it should, and each stop must show a focus indicator. The walks build on each other (KEYBOARD): the
# application from walk 1 is the one the organiser, signed in by walk 2, preselects in walk 3.

KEYBOARD = {}  # applicant (walk 1 confirmed), signed_in (walk 2), presses per walk

APPLICANT = {"name": "Jonas Kühn-Özdemir", "email": "jonas.kuehn@talente.example",
             "teamRole": "Plattform-Team, Softwareentwickler", "expertiseTopics": "KI, Datenplattformen, Barrierefreiheit",
             "languages": "Deutsch, Englisch, Türkisch"}
MOTIVATION = ("Seit zweieinhalb Jahren baue ich im Plattform-Team die Datenstrecken, über die unsere Vertriebs- und "
              "Serviceberichte laufen. Dabei erlebe ich täglich, wie groß der Abstand zwischen dem ist, was technisch "
              "möglich wäre, und dem, was in den Führungsrunden darüber gewusst wird. Ich möchte Führungskräften zeigen, "
              "wie wir mit KI-Werkzeugen, offenen Daten und kurzen Feedbackschleifen arbeiten – ohne Fachjargon, dafür mit "
              "Beispielen aus ihrem Alltag. Umgekehrt möchte ich verstehen, wie Entscheidungen über Budgets und "
              "Prioritäten zustande kommen. Gern übernehme ich auch Termine vor Ort in Köln oder München.")

# The focused element as a person would name it (label, aria-label, text), with what its focus indicator is made of.
KEY_STOP = (
    "const e = document.activeElement || document.body, s = getComputedStyle(e), r = e.getBoundingClientRect();"
    "const text = t => (t || '').replace(/\\s+/g, ' ').trim();"
    "const by = a => text((e.getAttribute(a) || '').split(/\\s+/).map(i => i && document.getElementById(i))"
    "  .filter(Boolean).map(x => x.innerText).join(' '));"
    "const labelled = e.labels && e.labels.length ? text(Array.from(e.labels).map(l => l.innerText).join(' ')) : '';"
    "const tag = e.tagName.toLowerCase();"
    "const name = text(e.getAttribute('aria-label')) || by('aria-labelledby') || labelled"
    "  || (tag === 'input' || tag === 'textarea' || tag === 'select' ? text(e.getAttribute('placeholder') || e.title)"
    "      : text(e.innerText) || text(e.value) || text(e.title));"
    "return {element: e, id: e.id || '', tag: tag, type: e.getAttribute('type') || '', name: name,"
    "        href: tag === 'a' ? e.href : '', isBody: e === document.body || e === document.documentElement,"
    "        page: location.pathname, focusVisible: e.matches(':focus-visible'),"
    "        outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, outlineColor: s.outlineColor,"
    "        boxShadow: s.boxShadow, width: r.width, height: r.height};")

UNFOCUSED_SHADOW = "return arguments[0].isConnected ? getComputedStyle(arguments[0]).boxShadow : null"
# Chromium's date and time controls have a calendar button of their own (in the control's closed shadow tree) as
# one more Tab stop after the last part: the control stays document.activeElement but is no longer :focus-visible,
# so the app's ring goes; Chromium draws its thin default ring around the icon instead (not the app's to style).
PICKER_TYPES = ("date", "time", "datetime-local", "month", "week")


class Stop:
    """One element that had focus: tag, id, accessible name (approximately), href, and its focus styles."""

    def __init__(self, driver, state):
        self.driver = driver
        self.element = state.pop("element")
        self.__dict__.update(state)

    def matches(self, css):
        return self.driver.execute_script("return arguments[0].matches(arguments[1])", self.element, css)

    def __str__(self):
        label = "%s%s%s" % (self.tag, "#" + self.id if self.id else "", "[type=%s]" % self.type if self.type else "")
        return "%s %r" % (label, self.name[:60]) if self.name else label


class KeyWalk:
    """What one walk did with the keyboard: presses counted, focus-indicator problems collected."""

    def __init__(self, driver, name):
        self.driver = driver
        self.name = name
        self.tabs = 0
        self.keys = 0
        self.problems = []
        self.notes = []
        self.legs = []  # (where to, presses)
        self.without_outline = None  # (Stop, box-shadow): compare with the unfocused shadow when focus moves on

    def check_indicator(self, stop):
        if self.without_outline is not None and not (stop is not None and stop.element == self.without_outline[0].element):
            # Focus has left the element shown only by a box-shadow: was that shadow there without focus, too?
            previous, shadow = self.without_outline
            self.without_outline = None
            try:
                unfocused = self.driver.execute_script(UNFOCUSED_SHADOW, previous.element)
            except WebDriverException:
                unfocused = None  # that page is gone; its non-empty box-shadow has to do
            if unfocused is not None and unfocused == shadow:
                self.problems.append("%s on %s: the focus box-shadow (%s) is the same without focus, no outline"
                                     % (previous, previous.page, shadow))
        if stop is None or stop.isBody:
            return
        if stop.width < 1 or stop.height < 1:
            self.problems.append("%s on %s: focused but not visible (%.0f×%.0f)" % (stop, stop.page, stop.width, stop.height))
        if has_outline(vars(stop)):
            return
        if stop.tag == "input" and stop.type in PICKER_TYPES and not stop.focusVisible:
            self.notes.append("%s on %s: a Tab stop on its own calendar button, shown by Chromium's default ring"
                              % (stop, stop.page))
            return
        if stop.boxShadow in ("none", ""):
            self.problems.append("%s on %s: no visible focus indicator (outline-style %s, width %s, colour %s; box-shadow %s)"
                                 % (stop, stop.page, stop.outlineStyle, stop.outlineWidth, stop.outlineColor, stop.boxShadow))
        else:
            self.without_outline = (stop, stop.boxShadow)

    def assert_indicators(self):
        self.check_indicator(None)
        assert not self.problems, "keyboard walk %r, focus indicators:\n" % self.name + "\n".join(self.problems)


def focused(driver):
    return Stop(driver, wait_until(driver, lambda d: d.execute_script(KEY_STOP), 15, "reading the focused element"))


def _matcher(target):
    if callable(target):
        return target, getattr(target, "__doc__", None) or repr(target)
    return (lambda stop: target in (stop.id, stop.name)), "id or name %r" % target


def tab_to(driver, predicate, limit=60, backwards=False, walk=None):
    """Press Tab (Shift+Tab if `backwards`) until the focused element matches `predicate`: a function of a Stop,
    or a string that is the element's id or its accessible name. Checks each stop's focus indicator (into `walk`,
    if given). Returns the Stop; fails naming every stop on the way if `limit` presses do not get there."""
    matches, wanted = _matcher(predicate)
    visited = []
    went_round = False
    for press in range(1, limit + 1):
        chain = ActionChains(driver)
        if backwards:
            chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            chain.send_keys(Keys.TAB)
        chain.perform()
        stop = focused(driver)
        visited.append(stop)
        if walk is not None:
            walk.tabs += 1
            walk.check_indicator(stop)
        if not stop.isBody and matches(stop):
            assert driver.switch_to.active_element == stop.element
            if walk is not None:
                walk.legs.append(("%s%s" % ("⇧" if backwards else "", stop), press))
            return stop
        # Back where it started after passing the end of the page: every stop has been seen, no need to go on.
        if any(s.isBody for s in visited) and not stop.isBody and stop.element == visited[0].element and press > 1:
            went_round = True
            break
    raise AssertionError("%s %s on %s did not reach %s; focus went through:\n%s" % (
        "Shift+Tab" if backwards else "Tab",
        "went all the way round the page (%d presses)" % len(visited) if went_round else "%d×" % limit,
        driver.current_url, wanted,
        "\n".join("%3d. %s" % (i + 1, "(the document itself)" if s.isBody else s) for i, s in enumerate(visited))))


def press(driver, key, walk=None):
    ActionChains(driver).send_keys(key).perform()
    if walk is not None:
        walk.keys += 1


def press_for_new_page(driver, key, walk=None, timeout=30):
    """A key that loads a new page (Enter on a link, Enter or Space on a submit button); waits until it has loaded."""
    token = mark_page(driver)
    press(driver, key, walk)
    wait_for_new_page(driver, token, timeout)


def type_text(driver, text, walk=None):
    """Types into whatever has focus, as a keyboard does."""
    ActionChains(driver).send_keys(text).perform()
    if walk is not None:
        walk.keys += len(text)


def focused_value(driver):
    return driver.execute_script("return document.activeElement.value")


def months_before(day, months):
    """The same day `months` earlier (day 28 at most, so it exists)."""
    total = day.year * 12 + (day.month - 1) - months
    return datetime.date(total // 12, total % 12 + 1, min(day.day, 28))


def heading(driver):
    return wait_until(driver, lambda d: d.find_element(By.TAG_NAME, "h1").text, 10, "no h1")


def sign_in_link(servers, mail):
    match = re.search(re.escape(servers.base_url) + r"/login/[A-Za-z0-9_\-.~%]+(\?next=[A-Za-z0-9_\-.~%]+)?",
                      mail["text"] or "")
    assert match, "no sign-in link in the mail text:\n%s" % mail["text"]
    return match.group(0)


def confirm_sign_in_by_keyboard(driver, servers, mail, walk):
    """Opens the link from the mail (the one driver.get), Tab to the confirm button, Enter."""
    driver.get(sign_in_link(servers, mail))
    assert heading(driver) == "Anmeldung bestätigen", main_text(driver)[:500]
    tab_to(driver, "confirm-sign-in", walk=walk)
    press_for_new_page(driver, Keys.ENTER, walk)


@pytest.fixture(scope="module")
def keyboard_user():
    """A browser of its own for the walks (a visitor, then the applicant, then the organiser)."""
    driver = new_driver()
    try:
        set_scheme(driver, "light")
        set_viewport(driver, *DESKTOP)
        yield driver
    finally:
        driver.quit()


def report_walk(walk):
    KEYBOARD[walk.name] = (walk.tabs, walk.keys)
    print("keyboard walk %r: %d Tab/Shift+Tab presses, %d other keys (%s)" % (
        walk.name, walk.tabs, walk.keys, ", ".join("%s: %d" % leg for leg in walk.legs))
          + "".join("\n    note: " + note for note in walk.notes))


def test_keyboard_walk_a_mentor_applies(keyboard_user, servers, programme_id):
    driver = keyboard_user
    walk = KeyWalk(driver, "a mentor applies")
    apply_path = "/programmes/%s/apply" % programme_id  # the start page's apply link (programme_id reads it)
    driver.get(servers.url(apply_path))
    assert heading(driver).startswith("Bewerbung als Mentor:in – ")

    for field in ("name", "email", "teamRole"):
        tab_to(driver, field, walk=walk)
        type_text(driver, APPLICANT[field], walk)
        assert focused_value(driver) == APPLICANT[field], field
    start = months_before(datetime.datetime.now(ZoneInfo("Europe/Berlin")).date(), 30)
    tab_to(driver, "companyStartDate", walk=walk)
    # Headless Chromium draws the date control in its ICU locale (en-US: month first), whatever --lang says.
    us = driver.execute_script("return Intl.DateTimeFormat().resolvedOptions().locale").startswith("en-US")
    type_text(driver, start.strftime("%m%d%Y" if us else "%d%m%Y"), walk)
    assert focused_value(driver) == start.isoformat()
    for field in ("expertiseTopics", "languages"):
        tab_to(driver, field, walk=walk)  # from the date field: Tab leaves its last part (the year)
        type_text(driver, APPLICANT[field], walk)
    tab_to(driver, "motivation", walk=walk)
    type_text(driver, MOTIVATION, walk)
    assert focused_value(driver) == MOTIVATION

    tab_to(driver, "tookPartInTalentProgramme", walk=walk)
    press(driver, Keys.SPACE, walk)
    assert driver.execute_script("return document.getElementById('tookPartInTalentProgramme').checked"), \
        "Space did not tick „Ich habe am Programm … teilgenommen“"

    def privacy_summary(stop):
        """the privacy notice's summary (details.privacy)"""
        return stop.tag == "summary" and stop.matches("details.privacy summary")
    tab_to(driver, privacy_summary, walk=walk)
    press(driver, Keys.ENTER, walk)
    assert driver.execute_script("return document.querySelector('details.privacy').open"), \
        "Enter on „Datenschutzhinweis“ did not open the privacy notice"
    assert "Demo-Hinweis" in driver.find_element(By.CSS_SELECTOR, "details.privacy").text

    already = len(servers.mails())
    tab_to(driver, "Bewerbung absenden", walk=walk)
    press_for_new_page(driver, Keys.ENTER, walk)
    assert driver.current_url == servers.url(apply_path + "/sent"), \
        "%s: %s" % (driver.current_url, main_text(driver)[:800])
    assert heading(driver) == "Fast geschafft"
    assert "Reverse Mentoring 2027" in main_text(driver)

    # Confirming the address (from the mail) makes it an application the organiser can decide on.
    mail = servers.wait_for_mail(APPLICANT["email"], after=already)
    assert mail["subject"] == "Bitte bestätigen Sie Ihre Bewerbung"
    confirm_sign_in_by_keyboard(driver, servers, mail, walk)
    assert driver.current_url == servers.url("/applications")
    assert heading(driver) == "Meine Bewerbungen"
    assert "Eingereicht" in main_text(driver)
    KEYBOARD["applicant"] = True
    report_walk(walk)
    walk.assert_indicators()


def test_keyboard_walk_sign_in_by_email_link(keyboard_user, servers):
    driver = keyboard_user
    walk = KeyWalk(driver, "sign in by e-mail link")
    driver.delete_all_cookies()  # a new visitor (walk 1 left the applicant signed in)
    driver.get(servers.url("/login"))
    assert heading(driver) == "Anmelden"
    already = len(servers.mails())
    tab_to(driver, "email", walk=walk)
    type_text(driver, DEMO_ORGANISER, walk)
    press_for_new_page(driver, Keys.ENTER, walk)  # Enter in the field sends its form
    assert driver.current_url == servers.url("/login/sent"), "%s: %s" % (driver.current_url, main_text(driver)[:500])

    confirm_sign_in_by_keyboard(driver, servers, servers.wait_for_mail(DEMO_ORGANISER, after=already), walk)
    assert driver.current_url == servers.url("/dashboard")
    assert heading(driver) == "Hallo Dana Demo"
    KEYBOARD["signed_in"] = True
    report_walk(walk)
    walk.assert_indicators()


def test_keyboard_walk_the_organiser_preselects(keyboard_user, servers, programme_id):
    if not (KEYBOARD.get("applicant") and KEYBOARD.get("signed_in")):
        pytest.skip("needs the application (walk 1) and the organiser signed in (walk 2)")
    driver = keyboard_user
    walk = KeyWalk(driver, "the organiser preselects")
    driver.get(servers.url("/dashboard"))  # where walk 2 ended
    cockpit = servers.url(PROGRAMME.format(id=programme_id))

    def programme_link(stop):
        """the demo programme's link in the dashboard's table"""
        return stop.tag == "a" and stop.href == cockpit
    tab_to(driver, programme_link, walk=walk)
    press_for_new_page(driver, Keys.ENTER, walk)
    assert driver.current_url == cockpit
    assert heading(driver) == "Reverse Mentoring 2027"

    def applications_shortcut(stop):
        """„Bewerbungen“ in the cockpit's shortcuts"""
        return stop.tag == "a" and stop.name == "Bewerbungen" and stop.matches(".shortcuts a")
    tab_to(driver, applications_shortcut, walk=walk)
    press_for_new_page(driver, Keys.ENTER, walk)
    assert driver.current_url == cockpit + "/applications"
    assert heading(driver) == "Bewerbungen"

    def applicant_checkbox(stop):
        return stop.tag == "input" and stop.type == "checkbox" and APPLICANT["email"] in stop.name
    applicant_checkbox.__doc__ = "the selection checkbox of %s" % APPLICANT["email"]
    box = tab_to(driver, applicant_checkbox, walk=walk)
    press(driver, Keys.SPACE, walk)
    assert driver.execute_script("return arguments[0].checked", box.element), "Space did not tick the checkbox"
    # The decision buttons stand again after the list: forward to them.
    tab_to(driver, "Vorauswählen", walk=walk)
    press_for_new_page(driver, Keys.ENTER, walk)
    assert driver.current_url == cockpit + "/applications"
    assert flashes(driver) == ["Vorausgewählt: %s. Die Bewerber:innen werden per E-Mail informiert." % APPLICANT["name"]], \
        flashes(driver) + flashes(driver, "info") + flashes(driver, "error")
    card = driver.find_element(By.XPATH, "//ul[contains(@class,'applications')]/li[.//label[contains(., %s)]]"
                               % xpath_literal(APPLICANT["email"]))
    assert card.find_element(By.CSS_SELECTOR, ".card-head .badge").text == "Vorausgewählt"
    report_walk(walk)
    walk.assert_indicators()


def test_keyboard_walk_phone_menu_to_the_account(keyboard_user, servers):
    if not KEYBOARD.get("signed_in"):
        pytest.skip("needs the organiser signed in (walk 2)")
    driver = keyboard_user
    walk = KeyWalk(driver, "phone menu to the account")
    set_viewport(driver, *PHONE)
    try:
        driver.get(servers.url("/dashboard"))
        assert driver.execute_script("return window.innerWidth") == PHONE[0]
        tab_to(driver, lambda stop: stop.matches(".menu-toggle"), walk=walk)
        press(driver, Keys.ENTER, walk)
        wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".menu-toggle").get_attribute("aria-expanded") == "true",
                   5, "Enter on the menu button did not open the menu")
        tab_to(driver, "Mein Konto", walk=walk)
        press_for_new_page(driver, Keys.ENTER, walk)
        assert driver.current_url == servers.url("/account")
        assert heading(driver) == "Mein Konto"
    finally:
        set_viewport(driver, *DESKTOP)
    report_walk(walk)
    walk.assert_indicators()


# --- the shortlist: a kickoff started and ended at once, with a mentor and a mentee present -----------------------

def live_phase(driver):
    state = driver.execute_script("return window.liveState ? window.liveState() : null") or {}
    return (state.get("state") or {}).get("phase")


def test_shortlists_after_a_kickoff_ended_at_once(people, servers, programme_id):
    """Last in the module: the kickoff is over afterwards, so the pages above show it not yet started."""
    mentee, mentor = people("mentee"), people("mentor")
    mentee.get(servers.url("/dashboard"))
    lobby = [a.get_attribute("href") for a in mentee.find_elements(By.CSS_SELECTOR, "main .home-card a")
             if re.search(r"/kickoff/[^/]+$", a.get_attribute("href") or "")]
    if not lobby:
        pytest.skip("the mentee's home card has no link to the kickoff's lobby")
    live_url = lobby[0]
    for driver in (mentee, mentor):
        driver.get(live_url)
    for driver, who in ((mentee, "mentee"), (mentor, "mentor")):
        wait_until(driver, lambda d: live_phase(d) == "notStarted", 20, "%s: not connected to the lobby" % who)

    organiser = people("organiser")
    organiser.get(servers.url(PROGRAMME.format(id=programme_id) + "/kickoff"))
    click_and_wait(organiser, organiser.find_element(By.ID, "control-start"))
    assert not organiser.find_elements(By.CSS_SELECTOR, ".flash-error"), organiser.find_element(By.TAG_NAME, "main").text[:500]
    # Started now, the server plans the two present into round 1; give the page a moment to show it.
    try:
        wait_until(mentee, lambda d: d.find_element(By.ID, "partner-card").is_displayed(), 20, "partner card")
        paired = True
    except TimeoutException:
        paired = False
    organiser.find_element(By.CSS_SELECTOR, "details.confirm summary").click()
    click_and_wait(organiser, organiser.find_element(By.ID, "control-end"))
    assert not organiser.find_elements(By.CSS_SELECTOR, ".flash-error"), organiser.find_element(By.TAG_NAME, "main").text[:500]

    shortlist = live_url[len(servers.base_url):] + "/shortlist"
    problems = []
    for driver, name in ((mentee, "shortlist-mentee"), (mentor, "shortlist-mentor")):
        problems += look_at(driver, servers, name, shortlist, "Ihre Auswahl nach dem Kickoff")
        talks = driver.find_elements(By.CSS_SELECTOR, "main .card.talk")
        print("%s: %d talk(s) listed%s" % (name, len(talks), "" if paired else " (no partner card seen before the end)"))
    assert not problems, "the shortlist pages:\n\n" + "\n\n".join(problems)
