"""The tandem space (the tandem year), walked in Chromium as the people do it, on the demo's programme in its year:

1. the mentor Lina Hoffmeister signs in by e-mail, goes from her home page to *Zum Tandem-Raum* and proposes a
   meeting ten days ahead at 17:30 Berlin time, 45 minutes, "Video-Call"; the SMTP test server receives the
   proposal for her mentee only, with `invite.ics` (METHOD:REQUEST, STATUS:TENTATIVE, SEQUENCE:0), which the
   `icalendar` package parses (DTSTART = 17:30 in Berlin, in UTC; the URL = the space);
2. her mentee Dr. Andreas Hartmann signs in in a second browser, follows his home page to the space, confirms the
   meeting (both get the update: same UID, SEQUENCE:1, STATUS:CONFIRMED), adds a shared note with a unique marker
   and Markdown (`**fett**` becomes <strong>; HTML stays text) and an experiment (axe: nothing serious or critical
   on the space at 390 and 1280 px; no sideways scrolling at 390);
3. Lina makes a calendar subscription on *Mein Konto*: the address, fetched without cookies, is text/calendar with
   all her meetings and no METHOD, the new one confirmed; she cancels the meeting (both get METHOD:CANCEL,
   SEQUENCE:2, the feed shows it cancelled), revokes the address, and it answers 410;
4. the demo organiser opens the programme's cockpit from her home page, then *Tandems im Blick*: a row per tandem
   with its state (Susanne Braun's tandem stalls), and nothing the partners wrote (neither the new markers nor the
   demo's notes and goals) (axe at both widths, no sideways scrolling); the space itself answers her 403.

Screenshots (tandem-space-390/1280.png, tandem-overview-390/1280.png) go to $BROWSER_SCREENSHOTS (default
/tmp/screenshots). The module runs its own app and SMTP server (a new database, so the demo as `serve` creates
it). The demo's clockwork mails the partners at start (e.g. an experiment due in two days), so mails are picked
by subject, not only by recipient.
"""

import datetime
import os
import re
import time
import urllib.error
import urllib.request
import uuid
from zoneinfo import ZoneInfo

import icalendar
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import (DEMO_ORGANISER, DESKTOP, PHONE, click_and_wait, describe, flashes, h1, horizontal_overflow, link,
                      main_text, run_axe, run_servers, set_viewport, xpath_literal)

PROGRAMME = "Reverse Mentoring 2026 · Frühjahr"
MENTEE = ("Dr. Andreas Hartmann", "andreas.hartmann@demo.example")
MENTOR = ("Lina Hoffmeister", "lina.hoffmeister@demo.example")
STALLED_MENTEE = "Susanne Braun"
BERLIN = ZoneInfo("Europe/Berlin")
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "/tmp/screenshots")
SERIOUS = ("serious", "critical")
LOGIN_SUBJECT = "Ihr Anmeldelink für Reverse Mentoring"
MAIL_TIMEOUT = 60  # seconds; the outbox polls every second, but the machine may be busy

# Unique per run: what the partners write, which no organiser page may show.
NOTE_MARKER = "Tandemnotiz-%s" % uuid.uuid4().hex[:12]
EXPERIMENT_MARKER = "Tandemexperiment-%s" % uuid.uuid4().hex[:12]
# What the demo's tandems wrote (shared notes, a reflection, an agreement goal, an experiment): never for organisers.
DEMO_CONFIDENTIAL = ("Werkzeuge, die wir angesehen haben", "Unsere Lehrwerkstatt ist beides", "Ich höre mehr zu",
                     "Verstehen, wie junge Kolleg:innen KI-Werkzeuge nutzen", "Eine Woche ohne interne E-Mail")

SEEN = {}  # what the partners' test found out, for the organiser's test (the space's address)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with run_servers(tmp_path_factory.mktemp("tandem-space")) as running:
        yield running


# --- mail -------------------------------------------------------------------------------------------------------

def wait_for_subject(servers, recipient, after, subject_start, timeout=MAIL_TIMEOUT):
    """The first message to `recipient` beyond the first `after` whose subject starts with `subject_start`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in servers.mails()[after:]:
            if recipient in mail["rcpt_tos"] and (mail["subject"] or "").startswith(subject_start):
                return mail
        time.sleep(0.2)
    raise AssertionError("no mail to %s starting %r within %ss; received: %r" % (
        recipient, subject_start, timeout, [(m["rcpt_tos"], m["subject"]) for m in servers.mails()[after:]]))


def sign_in(driver, servers, address):
    """conftest.sign_in_by_email, but taking the sign-in mail by its subject: the demo's clockwork also mails
    the partners of this programme (reminders) while the app starts."""
    already = len(servers.mails())
    driver.get(servers.url("/login"))
    field = driver.find_element(By.ID, "email")
    field.clear()
    field.send_keys(address)
    click_and_wait(driver, field.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
    assert driver.current_url == servers.url("/login/sent"), driver.current_url
    mail = wait_for_subject(servers, address, already, LOGIN_SUBJECT)
    match = re.search(re.escape(servers.base_url) + r"/login/[A-Za-z0-9_\-.~%]+", mail["text"] or "")
    assert match, "no sign-in link in the mail text:\n%s" % mail["text"]
    driver.get(match.group(0))
    click_and_wait(driver, WebDriverWait(driver, 20).until(EC.element_to_be_clickable((By.ID, "confirm-sign-in"))))
    assert driver.current_url == servers.url("/dashboard"), driver.current_url


def invitation(mail, method):
    """The parsed `invite.ics` of a meeting mail, checked to be one event with the given METHOD."""
    [attachment] = mail["attachments"]
    assert attachment["filename"] == "invite.ics", attachment["filename"]
    assert attachment["content_type"] == "text/calendar", attachment["content_type"]
    assert attachment["parameters"].get("method") == method, attachment["parameters"]
    calendar = icalendar.Calendar.from_ical(attachment["text"])
    assert str(calendar.get("METHOD")) == method, calendar.get("METHOD")
    [event] = calendar.walk("VEVENT")
    return event


def utc_stamp(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def check_event(event, start, minutes, status, sequence, uid=None):
    """One meeting as an iCalendar VEVENT: the start as chosen in Berlin (written in UTC), length, status, sequence."""
    assert event.decoded("DTSTART") == start, (event.decoded("DTSTART"), start)
    assert event["DTSTART"].to_ical().decode() == utc_stamp(start), event["DTSTART"].to_ical()
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=minutes)
    assert str(event.get("STATUS")) == status, event.get("STATUS")
    assert int(event.get("SEQUENCE")) == sequence, event.get("SEQUENCE")
    assert str(event.get("LOCATION")) == "Video-Call", event.get("LOCATION")
    if uid is not None:
        assert str(event.get("UID")) == uid, (event.get("UID"), uid)
    attendees = " ".join(str(a) for a in event.get("ATTENDEE", []))
    assert MENTEE[1] in attendees and MENTOR[1] in attendees, attendees


def fetch(url, cookies=None):
    """GET `url` without the browser (and, unless given, without cookies): (status, content type, body)."""
    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", "; ".join("%s=%s" % (c["name"], c["value"]) for c in cookies))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8", errors="replace")


# --- pages ------------------------------------------------------------------------------------------------------

def look(driver, name):
    """axe at phone and desktop width, no sideways scrolling on the phone, a full-height screenshot of each."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    if "#" in driver.current_url:  # after a form, the page is scrolled to its section; look at it from the top
        driver.get(driver.current_url.split("#", 1)[0])
    for width, height in (PHONE, DESKTOP):
        set_viewport(driver, width, height)
        driver.refresh()
        serious = [v for v in run_axe(driver) if v["impact"] in SERIOUS]
        assert not serious, "%s at %spx:\n%s" % (name, width, describe(serious))
        if width == PHONE[0]:
            assert horizontal_overflow(driver) is None, "%s scrolls sideways: %s" % (name, horizontal_overflow(driver))
        full = driver.execute_script("return document.documentElement.scrollHeight")
        set_viewport(driver, width, min(full, 4000))
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(os.path.join(SCREENSHOTS, "%s-%s.png" % (name, width)))
    set_viewport(driver, *DESKTOP)


def button(driver, text, scope=None):
    """The button reading `text` inside `scope` (an element), else anywhere in main."""
    if scope is not None:
        return scope.find_element(By.XPATH, ".//button[normalize-space()=%s]" % xpath_literal(text))
    return driver.find_element(By.XPATH, "//main//button[normalize-space()=%s]" % xpath_literal(text))


def submit(driver, text, scope=None, expect=None):
    """Clicks a submit button, waits for the page after the redirect, and checks its success message."""
    click_and_wait(driver, button(driver, text, scope), timeout=30)
    shown = flashes(driver)
    assert shown, "no success message after %r:\n%s" % (text, main_text(driver))
    if expect:
        assert any(expect in f for f in shown), (shown, expect)


def open_details(driver, summary):
    """The <details> whose summary reads `summary`, unfolded."""
    details = driver.find_element(By.XPATH, "//main//details[summary[normalize-space()=%s]]" % xpath_literal(summary))
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
        WebDriverWait(driver, 10).until(lambda d: details.get_attribute("open") is not None)
    return details


def set_value(driver, field_id, value):
    """For date and time inputs (their segments are awkward to type into): set the value as a script would."""
    field = driver.find_element(By.ID, field_id)
    driver.execute_script("arguments[0].value = arguments[1]", field, value)
    assert field.get_attribute("value") == value, field.get_attribute("value")


def type_into(driver, field_id, text):
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)


def to_space_from_home(driver, servers):
    """From the home page's card of the programme, "Zum Tandem-Raum"; returns the space's address."""
    card = driver.find_element(By.XPATH, "//main//li[contains(@class, 'home-card')][.//h2[normalize-space()=%s]]"
                               % xpath_literal(PROGRAMME))
    space = card.find_element(By.XPATH, ".//a[normalize-space()='Zum Tandem-Raum']")
    assert "secondary" not in (space.get_attribute("class") or ""), "the space is the card's primary link"
    click_and_wait(driver, space)
    assert re.fullmatch(re.escape(servers.url("/tandem/")) + r"[0-9A-Fa-f-]{36}", driver.current_url), driver.current_url
    return driver.current_url


def meeting_item(driver, when):
    """The meeting under "Geplant" at `when` (as the page writes it, e.g. 10.12.2026, 17:30)."""
    items = driver.find_elements(By.XPATH, "//section[@id='meetings']//li[contains(@class, 'meeting')]"
                                 "[.//strong[normalize-space()=%s]]" % xpath_literal(when))
    assert len(items) == 1, "%d meetings at %s:\n%s" % (len(items), when,
                                                         driver.find_element(By.ID, "meetings").text)
    return items[0]


def test_partners_plan_a_meeting_write_and_subscribe(servers, another_browser):
    today = datetime.datetime.now(BERLIN).date()
    day = today + datetime.timedelta(days=10)
    start = datetime.datetime.combine(day, datetime.time(17, 30), tzinfo=BERLIN)
    minutes = 45
    when = start.strftime("%d.%m.%Y, %H:%M")

    # --- 1. the mentor proposes a meeting ---------------------------------------------------------------------
    lina = another_browser()
    sign_in(lina, servers, MENTOR[1])
    space_url = to_space_from_home(lina, servers)
    SEEN["space_url"] = space_url
    assert h1(lina) == "Ihr Tandem mit %s" % MENTEE[0], h1(lina)
    assert PROGRAMME in main_text(lina)
    for section in ("agreement", "meetings", "prompt", "notes", "reflections", "experiments"):
        assert lina.find_element(By.ID, section).is_displayed(), section
    form = open_details(lina, "Treffen vorschlagen")
    set_value(lina, "meeting-date", day.isoformat())
    set_value(lina, "meeting-time", "17:30")
    type_into(lina, "meeting-minutes", str(minutes))
    type_into(lina, "meeting-place", "Video-Call")
    before_proposal = len(servers.mails())
    submit(lina, "Vorschlagen", scope=form, expect="Vorgeschlagen")
    proposed = meeting_item(lina, when)
    assert "vorgeschlagen" in proposed.text and "Video-Call" in proposed.text, proposed.text
    assert "Wartet auf die Bestätigung" in proposed.text, proposed.text
    assert not proposed.find_elements(By.XPATH, ".//button[normalize-space()='Termin bestätigen']"), \
        "one's own proposal is for the partner to confirm"

    proposal = wait_for_subject(servers, MENTEE[1], before_proposal, "%s schlägt ein Treffen vor: " % MENTOR[0])
    assert proposal["subject"] == "%s schlägt ein Treffen vor: %s" % (MENTOR[0], when), proposal["subject"]
    assert space_url in proposal["text"], proposal["text"]
    event = invitation(proposal, "REQUEST")
    check_event(event, start, minutes, "TENTATIVE", 0)
    uid = str(event.get("UID"))
    assert str(event.get("URL")) == space_url, event.get("URL")

    # --- 2. the mentee confirms, writes a note and plans an experiment ------------------------------------------
    andreas = another_browser()
    sign_in(andreas, servers, MENTEE[1])
    assert to_space_from_home(andreas, servers) == space_url
    assert h1(andreas) == "Ihr Tandem mit %s" % MENTOR[0], h1(andreas)
    before_accept = len(servers.mails())
    waiting = meeting_item(andreas, when)
    assert "vorgeschlagen" in waiting.text, waiting.text
    submit(andreas, "Termin bestätigen", scope=waiting, expect="Bestätigt")
    assert "bestätigt" in meeting_item(andreas, when).text

    accepted = {}
    for name, address in (MENTEE, MENTOR):
        mail = wait_for_subject(servers, address, before_accept, "Treffen bestätigt: ")
        assert mail["subject"] == "Treffen bestätigt: %s" % when, mail["subject"]
        update = invitation(mail, "REQUEST")
        check_event(update, start, minutes, "CONFIRMED", 1, uid=uid)
        accepted[name] = update
    assert not [m for m in servers.mails()[before_proposal:]
                if MENTOR[1] in m["rcpt_tos"] and "schlägt ein Treffen vor" in (m["subject"] or "")], \
        "the proposal goes to the partner only"

    note = "%s: Heute war **fett** wichtig. <b>roh</b>\n\n- erster Punkt\n- zweiter Punkt" % NOTE_MARKER
    type_into(andreas, "new-note", note)
    submit(andreas, "Notiz hinzufügen", expect="Gespeichert")
    [body] = andreas.find_elements(By.XPATH, "//section[@id='notes']//article[contains(@class, 'note')]"
                                             "//div[contains(@class, 'note-body')][contains(., %s)]"
                                   % xpath_literal(NOTE_MARKER))
    assert [s.text for s in body.find_elements(By.TAG_NAME, "strong")] == ["fett"], body.get_attribute("innerHTML")
    assert [li.text for li in body.find_elements(By.CSS_SELECTOR, "ul li")] == ["erster Punkt", "zweiter Punkt"]
    assert not body.find_elements(By.TAG_NAME, "b"), "HTML in a note stays text: %s" % body.get_attribute("innerHTML")
    assert "<b>roh</b>" in body.text, body.text
    assert MENTEE[0] in body.find_element(By.XPATH, "./preceding-sibling::p[contains(@class, 'hint')]").text

    form = open_details(andreas, "Neues Experiment")
    type_into(andreas, "experiment-what", EXPERIMENT_MARKER + " – eine Woche nur Sprachnachrichten")
    Select(andreas.find_element(By.ID, "experiment-owner")).select_by_value("mentee")
    due = today + datetime.timedelta(days=20)
    set_value(andreas, "experiment-due", due.isoformat())
    submit(andreas, "Experiment anlegen", scope=form, expect="Gespeichert")
    [experiment] = andreas.find_elements(By.XPATH, "//section[@id='experiments']//article[contains(., %s)]"
                                         % xpath_literal(EXPERIMENT_MARKER))
    assert "geplant" in experiment.text and "die Mentee" in experiment.text, experiment.text
    look(andreas, "tandem-space")

    # The mentor sees both.
    lina.get(space_url)
    assert NOTE_MARKER in lina.find_element(By.ID, "notes").text
    assert EXPERIMENT_MARKER in lina.find_element(By.ID, "experiments").text
    assert "bestätigt" in meeting_item(lina, when).text

    # --- 3. the mentor's calendar subscription -----------------------------------------------------------------
    lina.get(servers.url("/account"))
    calendar_section = lina.find_element(By.ID, "calendar")
    submit(lina, "Kalender-Abo erstellen", scope=calendar_section)
    shown = " ".join(flashes(lina))
    match = re.search(re.escape(servers.url("/calendar/")) + r"\S+?\.ics", shown)
    assert match, "no feed address in the message: %r" % shown
    feed_url = match.group(0)
    assert "Aktive Adresse seit" in lina.find_element(By.ID, "calendar").text
    lina.refresh()
    assert feed_url not in lina.page_source, "the address is shown once"

    def feed_event():
        status, content_type, body = fetch(feed_url)
        assert status == 200, (status, body[:500])
        assert content_type.startswith("text/calendar"), content_type
        calendar = icalendar.Calendar.from_ical(body)
        assert calendar.get("METHOD") is None, "a subscription, not an invitation"
        events = calendar.walk("VEVENT")
        assert len(events) >= 6, "4 held, 1 demo and the new meeting; got %d" % len(events)
        assert NOTE_MARKER not in body and EXPERIMENT_MARKER not in body
        [mine] = [e for e in events if str(e.get("UID")) == uid]
        return mine

    check_event(feed_event(), start, minutes, "CONFIRMED", 1, uid=uid)

    # She cancels: both get METHOD:CANCEL for the same event, and the feed shows it cancelled.
    lina.get(space_url)
    before_cancel = len(servers.mails())
    submit(lina, "Absagen", scope=meeting_item(lina, when), expect="Abgesagt")
    for name, address in (MENTEE, MENTOR):
        mail = wait_for_subject(servers, address, before_cancel, "Treffen abgesagt: ")
        assert mail["subject"] == "Treffen abgesagt: %s" % when, mail["subject"]
        check_event(invitation(mail, "CANCEL"), start, minutes, "CANCELLED", 2, uid=uid)
    check_event(feed_event(), start, minutes, "CANCELLED", 2, uid=uid)

    lina.get(servers.url("/account"))
    submit(lina, "Adresse widerrufen", scope=lina.find_element(By.ID, "calendar"), expect="widerrufen")
    assert lina.find_elements(By.XPATH, "//section[@id='calendar']//button[normalize-space()='Kalender-Abo erstellen']")
    status, _, body = fetch(feed_url)
    assert status == 410, (status, body[:500])


def test_organiser_sees_how_tandems_are_doing_but_not_what_they_write(servers, another_browser):
    space_url = SEEN.get("space_url")
    if space_url is None:  # this test alone: the mentee's home page tells the space's address
        andreas = another_browser()
        sign_in(andreas, servers, MENTEE[1])
        space_url = to_space_from_home(andreas, servers)

    organiser = another_browser()
    sign_in(organiser, servers, DEMO_ORGANISER)
    click_and_wait(organiser, link(organiser, PROGRAMME))
    assert h1(organiser) == PROGRAMME, h1(organiser)
    assert link(organiser, "Impulsfragen").is_displayed()
    click_and_wait(organiser, link(organiser, "Tandems im Blick"))
    assert h1(organiser) == "Tandems im Blick", h1(organiser)
    assert organiser.current_url.endswith("/tandems"), organiser.current_url

    rows = organiser.find_elements(By.CSS_SELECTOR, "table.care-table tbody tr")
    assert len(rows) == 6, [r.text for r in rows]

    def row(mentee):
        [found] = organiser.find_elements(By.XPATH, "//table[contains(@class, 'care-table')]//tr[th[normalize-space()=%s]]"
                                          % xpath_literal(mentee))
        return found

    mine = row(MENTEE[0])
    assert MENTOR[0] in mine.text, mine.text
    assert mine.find_elements(By.CSS_SELECTOR, ".badge-onTrack, .badge-due, .badge-stalled"), mine.text
    stalled = row(STALLED_MENTEE)
    assert stalled.find_elements(By.CSS_SELECTOR, ".badge-stalled"), stalled.get_attribute("innerHTML")
    assert "stockt" in stalled.text, stalled.text

    page = organiser.page_source
    for secret in (NOTE_MARKER, EXPERIMENT_MARKER, "Video-Call") + DEMO_CONFIDENTIAL:
        assert secret not in page, "the overview shows what a tandem wrote: %r" % secret
    look(organiser, "tandem-overview")

    # The space is the partners' own: the organiser gets "no access", in the browser and as a status.
    organiser.get(space_url)
    assert h1(organiser) == "Kein Zugriff", h1(organiser)
    assert "Diese Seite ist für Ihre Rolle nicht freigegeben." in main_text(organiser)
    for secret in (NOTE_MARKER, EXPERIMENT_MARKER, MENTOR[0]) + DEMO_CONFIDENTIAL:
        assert secret not in organiser.page_source, secret
    status, _, body = fetch(space_url, cookies=organiser.get_cookies())
    assert status == 403, (status, body[:500])
