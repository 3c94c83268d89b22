"""Look and feel (issue #13), as evidence: every main page at 390 and 1280 px in the light and the dark scheme.

For each page and scheme: a full-height screenshot per width into $BROWSER_SCREENSHOTS (default /tmp/screenshots),
named <page>-<width>-<scheme>.png; axe-core at both widths, failing on any serious or critical violation (all rules
on, so color-contrast checks the text in both schemes); no sideways scrolling at 390 px. On the members page the
row actions of the invitations table (Erneut senden, Drucken, Zurückziehen) lie fully inside a phone's width and
are at least 44 px high. On the cockpit the keyboard walk: Tab from the top reaches the skip link, then the header
links, and each of the first 25 stops shows a focus indicator; at 390 px the menu button opens the navigation with
Enter and Escape closes it again, focus back on the button.

Pages: start page, sign-in and the public application form (nobody signed in); the organiser's dashboard,
programme cockpit, review queue, members, kickoff plan, outbox and account; the home page (participants' cards)
of a mentor and of a mentee; last, the shortlist of both after a kickoff the organiser starts and ends at once
(the two connected to the live page, so the server plans them into round 1 together). The lobby, talk and break
of the live page are screenshotted by test_kickoff_event.py (same folder when $BROWSER_SCREENSHOTS is set).

The module runs its own app and SMTP server (a new database, so the demo as `serve` creates it): the pages look
the same whatever other modules did before, and starting and ending the kickoff here touches no other module.
One browser per role, signed in once: the visitor's browser becomes the organiser's.
"""

import os
import re
import urllib.request

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import TimeoutException

from conftest import (DEMO_ORGANISER, DESKTOP, FAKE_MEDIA, PHONE, click_and_wait, describe, horizontal_overflow,
                      new_driver, run_axe, run_servers, set_viewport, sign_in_by_email, wait_until)

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
