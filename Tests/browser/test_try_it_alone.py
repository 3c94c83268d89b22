"""The README's "Try it alone" (section "What works (kickoff)", last bullet), walked in Chromium as written:

1. `mentoring serve` on a new database, sign in with the printed link as the demo organiser, open *Reverse Mentoring
   2027* → *Kickoff & Speed Networking* (planned already: 4 rounds of 1 minute, 10-second breaks; the control room
   at the top of the page);
2. *Persönliche Links anzeigen*; the link of the round-1 partner of the first mentee in a private window (a second
   Chromium, its own cookies): *Als … eintreten*, then *Ich bin da*;
3. back in the organiser's window *In 1 Minute starten* (everybody sees a countdown), then the first mentee's link
   there: the page says you are signed in as the organiser and offers *Abmelden und als … eintreten*; press it,
   then *Ich bin da*;
4. about a minute later round 1 begins by itself: both windows show each other's card (in German); after the round
   the rating panel appears; after the last round both find the link to their shortlist on the page and on their
   home page.

The WebRTC call itself is tested in test_kickoff_webrtc.py (it needs a loopback-only network namespace); here both
windows have a fake camera and microphone only so that the live page behaves as with a person in front of it.
The whole event runs as planned, so the test takes about six minutes.

It runs its own app and SMTP server (a new database, so the demo as `serve` creates it): other tests start and end
the demo kickoff. The printed sign-in link is read from the app's output.
"""

import re
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import xpath_literal, main_text, link, FAKE_MEDIA, click_and_wait, new_driver, run_servers, wait_until

PROGRAMME = "Reverse Mentoring 2027"
ORGANISER_NAME = "Dana Demo"
ROUND_STARTS_WITHIN = 120   # seconds after "In 1 Minute starten" (the start is one minute later)
EVENT_LENGTH = 4 * 60 + 3 * 10  # the demo: 4 rounds of 1 minute, 10-second breaks


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with run_servers(tmp_path_factory.mktemp("try-it-alone")) as running:
        yield running


def live(driver):
    return driver.execute_script("return window.liveState ? window.liveState() : null") or {}


def phase(driver):
    return (live(driver).get("state") or {}).get("phase")


def german(driver, who):
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    assert lang == "de", "%s: the page is not in German (<html lang=%r>): %s" % (who, lang, main_text(driver)[:300])


def printed_sign_in_link(servers):
    """The line `serve` prints: "Einmal-Anmeldelink für die Demo-Organisatorin (15 Minuten gültig): <link>"."""
    pattern = re.compile(r"Einmal-Anmeldelink für die Demo-Organisatorin \(15 Minuten gültig\): (\S+)")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = pattern.search(Path(servers.app_log).read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(1)
        time.sleep(0.2)
    raise AssertionError("serve printed no sign-in link for the demo organiser")


def check_in(driver, who):
    """*Ich bin da* in the lobby, before the start."""
    wait_until(driver, lambda d: phase(d) == "notStarted", 20,
               "%s: the live page did not reach the lobby before the start (phase %r)" % (who, phase(driver)))
    german(driver, who)
    assert driver.find_element(By.ID, "lobby").is_displayed()
    button = driver.find_element(By.ID, "check-in")
    assert button.text == "Ich bin da"
    button.click()
    wait_until(driver, lambda d: d.find_element(By.ID, "check-in").get_attribute("disabled") is not None, 15,
               "%s: check-in not confirmed" % who)


def countdown_seconds(driver):
    """The lobby's countdown to the start in seconds (e.g. "00:57"), or None while it shows no mm:ss."""
    text = driver.find_element(By.ID, "live-clock").text.strip()
    match = re.fullmatch(r"(\d+):(\d\d)", text)
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def test_try_it_alone_as_the_readme_says(servers):
    drivers = []
    try:
        organiser = new_driver(extra_arguments=FAKE_MEDIA)
        drivers.append(organiser)
        private = new_driver(extra_arguments=FAKE_MEDIA)  # the private window: its own cookies
        drivers.append(private)

        # 1. sign in with the printed link, open the programme, then its kickoff.
        organiser.get(printed_sign_in_link(servers))
        click_and_wait(organiser, organiser.find_element(By.ID, "confirm-sign-in"))
        assert organiser.current_url == servers.url("/dashboard")
        click_and_wait(organiser, link(organiser, PROGRAMME))
        click_and_wait(organiser, link(organiser, "Kickoff & Speed Networking"))
        assert organiser.find_element(By.TAG_NAME, "h1").text == "Kickoff & Speed Networking"
        german(organiser, "kickoff page")
        kickoff_page = organiser.current_url
        assert organiser.find_element(By.ID, "rounds").get_attribute("value") == "4"
        assert organiser.find_element(By.ID, "minutesPerRound").get_attribute("value") == "1"
        assert organiser.find_element(By.ID, "breakSeconds").get_attribute("value") == "10"
        # Each round's heading also counts its talks and breaks ("Runde 1 8 Gespräche · 2 pausieren").
        assert [" ".join(h3.text.split()[:2]) for h3 in organiser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=plan-heading] h3")] \
            == ["Runde 1", "Runde 2", "Runde 3", "Runde 4"]
        assert organiser.execute_script(
            "const control = document.getElementById('control-heading'), timing = document.getElementById('timing-heading');"
            "return !!control && !!timing && !!(control.compareDocumentPosition(timing) & Node.DOCUMENT_POSITION_FOLLOWING)"), \
            "the control room is not above the timing form"

        # 2. personal links; the first mentee's round-1 partner in the private window.
        click_and_wait(organiser, organiser.find_element(By.ID, "show-links"))
        rows = []
        for row in organiser.find_elements(By.CSS_SELECTOR, "table.links tbody tr"):
            cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            rows.append({"name": cells[0], "role": cells[1], "partner": cells[2], "link": cells[3]})
        by_name = {row["name"]: row for row in rows}
        mentee = next((row for row in rows if row["role"] == "Mentee"), None)
        assert mentee, "no mentee in the list of personal links: %r" % rows
        assert mentee["partner"] in by_name, "the first mentee has no round-1 partner: %r" % mentee
        mentor = by_name[mentee["partner"]]
        assert mentor["role"] == "Mentor:in" and mentor["partner"] == mentee["name"], (mentee, mentor)
        for row in (mentee, mentor):
            assert re.fullmatch(re.escape(servers.url("/event/")) + r"[A-Za-z0-9_\-]+", row["link"]), row

        private.get(mentor["link"])
        german(private, "private window, event link")
        enter = private.find_element(By.ID, "enter-event")
        assert enter.text == "Als %s eintreten" % mentor["name"]
        click_and_wait(private, enter)
        live_url = private.current_url
        assert re.fullmatch(re.escape(servers.url("/kickoff/")) + r"[^/]+", live_url), live_url
        check_in(private, "private window (%s)" % mentor["name"])

        # 3. back in the organiser's window: In 1 Minute starten, then the first mentee's link there.
        click_and_wait(organiser, link(organiser, "← Kickoff & Speed Networking"))
        assert organiser.current_url == kickoff_page
        start = organiser.find_element(By.ID, "start-in-a-minute")
        assert start.text == "In 1 Minute starten"
        started_at = time.monotonic()
        click_and_wait(organiser, start)
        assert not organiser.find_elements(By.CSS_SELECTOR, ".flash-error"), main_text(organiser)[:800]
        # Everybody sees a countdown: the private window's lobby counts down the minute.
        wait_until(private, lambda d: (countdown_seconds(d) or 0) > 0, 15,
                   "no countdown in the private window's lobby (clock %r)" % private.find_element(By.ID, "live-clock").text)
        assert countdown_seconds(private) <= 60

        organiser.get(mentee["link"])
        text = main_text(organiser)
        assert "Sie sind als %s angemeldet" % ORGANISER_NAME in text, text[:800]
        assert not organiser.find_elements(By.ID, "enter-event"), "offers to enter without signing out first"
        switch = organiser.find_element(By.ID, "switch-and-enter")
        assert switch.text == "Abmelden und als %s eintreten" % mentee["name"]
        click_and_wait(organiser, switch)
        assert organiser.current_url == live_url, organiser.current_url
        check_in(organiser, "organiser's window, now %s" % mentee["name"])

        # 4. round 1 begins by itself; each window shows the other as partner, in German.
        windows = ((organiser, mentor["name"], "Mentor:in", "organiser's window"), (private, mentee["name"], "Mentee",
                                                                                    "private window"))
        for driver, partner, role, who in windows:
            remaining = max(5, ROUND_STARTS_WITHIN - (time.monotonic() - started_at))
            wait_until(driver, lambda d: d.find_element(By.ID, "partner-card").is_displayed()
                       and d.find_element(By.ID, "partner-name").text == partner, remaining,
                       "%s: no partner card with %s within %ss of 'In 1 Minute starten' (phase %r, status %r)"
                       % (who, partner, ROUND_STARTS_WITHIN, phase(driver), driver.find_element(By.ID, "live-status").text))
            german(driver, who)
            assert driver.find_element(By.ID, "partner-role").text == role
            status = driver.find_element(By.ID, "live-status").text
            assert status == "Gespräch läuft · Runde 1 von 4", status
            assert driver.find_element(By.TAG_NAME, "h1").text == "Kickoff live – %s" % PROGRAMME
        round_one = time.monotonic()
        print("round 1 began %.0f s after 'In 1 Minute starten'" % (round_one - started_at))

        # After the round: the rating panel, naming the partner of round 1.
        for driver, partner, _, who in windows:
            wait_until(driver, lambda d: d.find_element(By.ID, "rating").is_displayed(), 90,
                       "%s: no rating panel after round 1 (phase %r)" % (who, phase(driver)))
            heading = driver.find_element(By.ID, "rating-heading").text
            assert heading == "Kurz bewertet: %s" % partner, heading
            assert driver.find_element(By.ID, "rating-question").text == "Möchten Sie das Gespräch fortsetzen?"

        # After the last round: the link to the shortlist, on the page and on the home page.
        for driver, _, _, who in windows:
            wait_until(driver, lambda d: phase(d) == "finished", max(30, EVENT_LENGTH + 90 - (time.monotonic() - round_one)),
                       "%s: the event did not finish (phase %r)" % (who, phase(driver)))
            wait_until(driver, lambda d: d.find_element(By.ID, "shortlist-link").is_displayed(), 10,
                       "%s: no shortlist link after the last round" % who)
            german(driver, who)
            shortlist = driver.find_element(By.CSS_SELECTOR, "#shortlist-link a").get_attribute("href")
            assert shortlist == live_url + "/shortlist", shortlist
        for driver, _, _, who in windows:
            driver.get(servers.url("/dashboard"))
            german(driver, who + ", home page")
            hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main a")]
            assert live_url + "/shortlist" in hrefs, "%s: no shortlist link on the home page: %r" % (who, hrefs)
    finally:
        for driver in drivers:
            driver.quit()
