"""The kickoff around the live rounds, in real browsers against the real server and SMTP server.

The organiser sends the invitations: the mentee's e-mail arrives over SMTP with `invite.ics`, which the
`icalendar` package parses (start = the kickoff's start, URL = the personal link in the text). The mentee
opens that link (confirm page → live lobby, check-in); the mentee's round-1 partner opens the link from the
organiser's list of personal links in a second browser. The organiser's live view shows who is connected and
checked in, then the organiser starts the event. Both saw each other's card (the server re-planned for the two
present); round 1 runs out into the break, then the organiser ends the event. The mentee answers the quick
rating with a private note, opens the shortlist, ranks the partner; the mentor marks the mentee. The organiser
sees the completion, never the note. Pages are checked with axe-core (no serious/critical) at phone and desktop
widths and for sideways scrolling on a phone.

The live page itself (one card per state, the clock, the video area, mute / camera off): the lobby counts down
to the start (set two hours ahead), the talk shows the partner's video large with the own one as a
picture-in-picture inside it (on a phone too, without scrolling), the break counts down to the next round and
shows no video box, the toggles switch the local tracks and `aria-pressed`. Screenshots of lobby, talk and
break at both widths go to $BROWSER_SCREENSHOTS (or /tmp).
"""

import datetime
import os
import re
import time
from zoneinfo import ZoneInfo

import icalendar
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import (xpath_literal, link, DESKTOP, FAKE_MEDIA, PHONE, click_and_wait, describe, horizontal_overflow, run_axe,
                      set_viewport, wait_until)

PROGRAMME = "Reverse Mentoring 2027"
MENTEE = ("Dr. Karin Vogt", "karin.vogt@demo.example")
NOTE = "Sehr inspirierend <script>alert(1)</script> – weiter so"


def button(driver, text):
    return driver.find_element(By.XPATH, "//main//button[normalize-space()=%s]" % xpath_literal(text))


def check_page(driver, name, problems):
    for viewport in (PHONE, DESKTOP):
        set_viewport(driver, *viewport)
        serious = [v for v in run_axe(driver) if v["impact"] in ("serious", "critical")]
        if serious:
            problems.append("%s at %s:\n%s" % (name, viewport, describe(serious)))
        if viewport == PHONE:
            overflow = horizontal_overflow(driver)
            if overflow:
                problems.append("%s scrolls sideways on a phone: %s" % (name, overflow))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def live(driver):
    return driver.execute_script("return window.liveState ? window.liveState() : null") or {}


BREAK_SECONDS = 45  # long enough to look at the break on a busy machine; the test ends the event in it
CARDS = ("lobby", "partner-card", "break-card", "pause-card", "paused-card", "finished-card")
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "/tmp")


def shown_cards(driver):
    """The live page's state cards on screen: exactly one at any time."""
    return [card for card in CARDS if driver.find_element(By.ID, card).is_displayed()]


def clock(driver):
    return (driver.find_element(By.ID, "live-clock-label").text, driver.find_element(By.ID, "live-clock").text)


def seconds(text):
    """'1:59:58' or '00:42' → seconds."""
    value = 0
    for part in text.split(":"):
        value = value * 60 + int(part)
    return value


def seconds_until(driver, server_ms):
    return driver.execute_script("return (arguments[0] - (Date.now() + window.liveState().offset)) / 1000", server_ms)


def rect(driver, element_id):
    return driver.execute_script("const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                                 "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
                                 " width: r.width, height: r.height};", element_id)


def screenshots(driver, name):
    """The page as a person sees it (the viewport, from the top) on a phone and on a laptop."""
    for width, height in (PHONE, DESKTOP):
        set_viewport(driver, width, height)
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.3)  # one layout and paint at the new size
        driver.save_screenshot(os.path.join(SCREENSHOTS, "kickoff-live-%s-%d.png" % (name, width)))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def track_states(driver):
    """The local camera's and microphone's tracks: enabled flags as the page's stream holds them."""
    return driver.execute_script(
        "const s = document.getElementById('local-video').srcObject;"
        "return s ? {audio: s.getAudioTracks().map(t => t.enabled), video: s.getVideoTracks().map(t => t.enabled)} : null")


def check_toggle(driver, button_id, kind):
    """Mute / camera off: a real toggle button (aria-pressed, visible label, 44 px), by mouse and by keyboard."""
    toggle = driver.find_element(By.ID, button_id)
    assert toggle.get_attribute("aria-pressed") == "false" and toggle.text.strip(), toggle.get_attribute("outerHTML")
    assert toggle.size["height"] >= 44 and toggle.size["width"] >= 44, toggle.size
    assert all(track_states(driver)[kind]), track_states(driver)
    toggle.click()
    wait_until(driver, lambda d: d.find_element(By.ID, button_id).get_attribute("aria-pressed") == "true", 5, "%s pressed" % button_id)
    assert track_states(driver)[kind] and not any(track_states(driver)[kind]), track_states(driver)
    toggle.send_keys(Keys.SPACE)  # the keyboard switches it back on
    wait_until(driver, lambda d: d.find_element(By.ID, button_id).get_attribute("aria-pressed") == "false", 5, "%s released" % button_id)
    assert all(track_states(driver)[kind]), track_states(driver)


def test_invitation_ics_links_lobby_rating_and_shortlist(organiser, servers, another_browser):
    org, problems = organiser, []
    click_and_wait(org, link(org, PROGRAMME))
    click_and_wait(org, link(org, "Kickoff & Speed Networking"))
    kickoff_page = org.current_url
    # The start two hours from now (the lobby counts down to it) and a break long enough to look at.
    berlin = ZoneInfo("Europe/Berlin")
    start = (datetime.datetime.now(berlin) + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    org.execute_script("document.getElementById('startsAt').value = arguments[0];"
                       "document.getElementById('breakSeconds').value = arguments[1];",
                       start.strftime("%Y-%m-%dT%H:%M"), str(BREAK_SECONDS))
    click_and_wait(org, org.find_element(By.XPATH, "//input[@id='breakSeconds']/ancestor::form//button[@type='submit']"))
    assert not org.find_elements(By.CSS_SELECTOR, ".error-summary"), org.find_element(By.TAG_NAME, "main").text
    starts_local = org.find_element(By.ID, "startsAt").get_attribute("value")  # Europe/Berlin, as saved
    assert starts_local == start.strftime("%Y-%m-%dT%H:%M"), starts_local
    start_ms = int(start.timestamp() * 1000)
    check_page(org, "kickoff page", problems)

    # --- invitations over SMTP, with a calendar file a real parser reads --------------------------------------
    already = len(servers.mails())
    click_and_wait(org, button(org, "Einladungen senden"))
    assert "18 Einladungen" in org.find_element(By.TAG_NAME, "main").text
    mail = servers.wait_for_mail(MENTEE[1], after=already)
    assert mail["subject"].startswith("Ihr Kickoff"), mail["subject"]
    event_link = re.search(re.escape(servers.base_url) + r"/event/[A-Za-z0-9_\-]+", mail["text"]).group(0)
    [attachment] = mail["attachments"]
    assert attachment["filename"] == "invite.ics"
    assert attachment["content_type"] == "text/calendar" and attachment["parameters"]["method"] == "PUBLISH"
    calendar = icalendar.Calendar.from_ical(attachment["text"])
    [event] = calendar.walk("VEVENT")
    expected_start = datetime.datetime.fromisoformat(starts_local).replace(tzinfo=ZoneInfo("Europe/Berlin"))
    assert event.decoded("DTSTART") == expected_start, (event.decoded("DTSTART"), expected_start)
    assert str(event.get("URL")) == event_link
    assert event_link in str(event.get("DESCRIPTION"))
    assert int(event.get("SEQUENCE")) >= 1

    # --- the organiser's list of personal links names each round-1 partner ------------------------------------
    click_and_wait(org, button(org, "Persönliche Links anzeigen"))
    check_page(org, "personal links", problems)
    rows = {}
    for row in org.find_elements(By.CSS_SELECTOR, "table.links tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        rows[cells[0].text] = {"partner": cells[2].text, "link": cells[3].text}
    partner_name = rows[MENTEE[0]]["partner"]
    assert partner_name in rows and partner_name != "–", rows[MENTEE[0]]

    # --- the mentee: e-mailed link → confirm page → lobby with check-in -----------------------------------------
    mentee = another_browser(extra_arguments=FAKE_MEDIA)
    mentee.get(event_link)
    assert MENTEE[0] in mentee.find_element(By.TAG_NAME, "main").text
    check_page(mentee, "event entry page", problems)
    click_and_wait(mentee, mentee.find_element(By.ID, "enter-event"))
    assert re.search(r"/kickoff/[^/]+$", mentee.current_url), mentee.current_url
    live_url = mentee.current_url
    wait_until(mentee, lambda d: (live(d).get("state") or {}).get("phase") == "notStarted", 15, "lobby state")
    assert mentee.find_element(By.ID, "lobby").is_displayed()
    mentee.find_element(By.ID, "check-in").click()
    wait_until(mentee, lambda d: d.find_element(By.ID, "check-in").get_attribute("disabled") is not None, 10, "check-in")
    assert shown_cards(mentee) == ["lobby"], shown_cards(mentee)
    # The clock counts down to the start in server time (not "--:--").
    wait_until(mentee, lambda d: re.fullmatch(r"\d:\d\d:\d\d", clock(d)[1]), 10, "lobby countdown")
    label, shown = clock(mentee)
    assert label == "Beginn in", label
    left = seconds_until(mentee, start_ms)
    assert abs(seconds(shown) - left) <= 2, "lobby clock %s, %.1f s until the start" % (shown, left)
    wait_until(mentee, lambda d: clock(d)[1] != shown, 5, "the lobby clock ticks")
    # The own camera as a preview (no empty partner box), mute and camera off, a way out.
    wait_until(mentee, lambda d: d.find_element(By.ID, "videos").is_displayed()
               and d.find_element(By.ID, "toggle-mic").is_enabled(), 15, "camera preview")
    assert not mentee.find_element(By.ID, "remote-video").is_displayed()
    check_toggle(mentee, "toggle-mic", "audio")
    check_toggle(mentee, "toggle-camera", "video")
    leave = mentee.find_element(By.ID, "leave-link")
    assert leave.text.strip() == "Verlassen" and leave.get_attribute("href") == servers.url("/dashboard")
    assert leave.size["height"] >= 44, leave.size
    check_page(mentee, "lobby", problems)
    screenshots(mentee, "lobby")

    # --- the partner from the organiser's list, in a second browser ----------------------------------------------
    mentor = another_browser(extra_arguments=FAKE_MEDIA)
    mentor.get(rows[partner_name]["link"])
    click_and_wait(mentor, mentor.find_element(By.ID, "enter-event"))
    assert mentor.current_url == live_url
    wait_until(mentor, lambda d: (live(d).get("state") or {}).get("phase") == "notStarted", 15, "mentor lobby")

    # --- the organiser's live view: who is here -------------------------------------------------------------------
    org.get(live_url)
    def presence(d):
        return {r.find_elements(By.TAG_NAME, "td")[0].text: [c.text for c in r.find_elements(By.TAG_NAME, "td")[2:]]
                for r in d.find_elements(By.CSS_SELECTOR, "#presence-rows tr")}
    wait_until(org, lambda d: presence(d).get(MENTEE[0]) == ["verbunden", "eingecheckt"]
               and presence(d).get(partner_name, [""])[0] == "verbunden", 10, "presence list")
    check_page(org, "organiser's live view", problems)
    screenshots(org, "organiser")

    # --- start: both see each other (the plan is re-made for the two present); then end ---------------------------
    org.get(kickoff_page)
    click_and_wait(org, button(org, "Starten"))
    for driver, other in ((mentee, partner_name), (mentor, MENTEE[0])):
        wait_until(driver, lambda d: d.find_element(By.ID, "partner-card").is_displayed()
                   and d.find_element(By.ID, "partner-name").text == other, 10, "partner card with %s" % other)
    assert shown_cards(mentee) == ["partner-card"], shown_cards(mentee)
    label, shown = clock(mentee)
    talk_end = live(mentee)["state"]["endsAt"]
    assert label == "Restzeit" and re.fullmatch(r"\d\d:\d\d", shown), (label, shown)
    assert abs(seconds(shown) - seconds_until(mentee, talk_end)) <= 2, (shown, seconds_until(mentee, talk_end))
    # Partner large, own picture small inside it (picture-in-picture), the partner fully on a phone's screen.
    for width, height in (PHONE, DESKTOP):
        set_viewport(mentee, width, height)
        mentee.execute_script("window.scrollTo(0, 0)")
        wait_until(mentee, lambda d: d.execute_script("return window.innerWidth") == width, 5, "viewport %d" % width)
        remote, local = rect(mentee, "remote-video"), rect(mentee, "local-video")
        assert remote["width"] >= 2.5 * local["width"] and remote["height"] >= 2.5 * local["height"], (width, remote, local)
        assert remote["left"] <= local["left"] and local["right"] <= remote["right"] + 0.5 \
            and remote["top"] <= local["top"] and local["bottom"] <= remote["bottom"] + 0.5, (width, remote, local)
        assert remote["top"] >= 0 and remote["bottom"] <= height and remote["width"] >= 0.85 * min(width, 700), (width, remote)
    mentee.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    check_page(mentee, "live round", problems)
    screenshots(mentee, "talk")

    # --- round 1 runs out: the break counts down to round 2, with one card and no video box ----------------------
    wait_until(mentee, lambda d: (live(d).get("state") or {}).get("phase") == "between", 120, "the break after round 1")
    state = live(mentee)["state"]
    assert abs(state["endsAt"] - (talk_end + BREAK_SECONDS * 1000)) <= 2, (state, talk_end)  # ms, rounded
    assert shown_cards(mentee) == ["break-card"], shown_cards(mentee)
    assert not mentee.find_element(By.ID, "videos").is_displayed(), "no empty video box in the break"
    assert mentee.find_element(By.ID, "video-status").text == "", mentee.find_element(By.ID, "video-status").text
    # The mentee and the mentor have met: round 2 has no partner for either (the break card says so).
    assert state.get("partner") is None, state
    assert "kein Gespräch" in mentee.find_element(By.ID, "break-card").text
    label, shown = clock(mentee)
    assert label == "Nächste Runde in" and re.fullmatch(r"\d\d:\d\d", shown) and shown != "00:00", (label, shown)
    assert abs(seconds(shown) - seconds_until(mentee, state["endsAt"])) <= 2, (shown, seconds_until(mentee, state["endsAt"]))
    assert mentee.find_element(By.ID, "live-status").text == "Pause · als Nächstes Runde 2 von 4"
    screenshots(mentee, "break")
    assert live(mentee)["state"]["phase"] == "between", "the break ended before it was checked: make BREAK_SECONDS longer"
    org.find_element(By.XPATH, "//summary[normalize-space()='Beenden…']").click()  # ending asks for confirmation
    click_and_wait(org, button(org, "Jetzt für alle beenden"))

    # --- the quick rating with a private note ----------------------------------------------------------------------
    wait_until(mentee, lambda d: d.find_element(By.ID, "rating").is_displayed(), 10, "rating panel")
    assert partner_name in mentee.find_element(By.ID, "rating-heading").text
    check_page(mentee, "rating panel", problems)
    mentee.find_element(By.CSS_SELECTOR, "#rating-form input[value='yes']").click()
    mentee.find_element(By.ID, "rating-note").send_keys(NOTE)
    mentee.find_element(By.ID, "rating-save").click()
    wait_until(mentee, lambda d: d.find_element(By.ID, "rating-status").text == "Gespeichert.", 10, "rating saved")

    # --- shortlist (mentee) and marks (mentor) ----------------------------------------------------------------------
    wait_until(mentee, lambda d: d.find_element(By.ID, "shortlist-link").is_displayed(), 10, "shortlist link")
    assert shown_cards(mentee) == ["finished-card"], shown_cards(mentee)
    assert not mentee.find_element(By.ID, "live-timer").is_displayed() and not mentee.find_element(By.ID, "videos").is_displayed()
    assert mentee.execute_script("return document.getElementById('local-video').srcObject") is None, "camera released"
    check_page(mentee, "finished", problems)
    screenshots(mentee, "finished")
    click_and_wait(mentee, mentee.find_element(By.CSS_SELECTOR, "#shortlist-link a"))
    assert NOTE in mentee.find_element(By.TAG_NAME, "main").text, "the note, shown as text (escaped)"
    Select(mentee.find_element(By.ID, "choice1")).select_by_visible_text(partner_name)
    check_page(mentee, "shortlist", problems)
    click_and_wait(mentee, mentee.find_element(By.ID, "save-shortlist"))
    assert mentee.find_elements(By.CSS_SELECTOR, ".flash, [role=status], .notice"), mentee.page_source[:500]
    assert Select(mentee.find_element(By.ID, "choice1")).first_selected_option.text == partner_name

    mentor.get(live_url + "/shortlist")
    mentor.find_element(By.XPATH, "//input[@name='marks[]']").click()
    click_and_wait(mentor, mentor.find_element(By.ID, "save-shortlist"))
    assert mentor.find_element(By.XPATH, "//input[@name='marks[]']").is_selected()

    # --- the organiser sees who answered, not what, and never the note ----------------------------------------------
    org.get(kickoff_page)
    assert org.find_element(By.ID, "completion-summary").text == "Abgegeben: 1 von 8 Mentees, 1 von 10 Mentor:innen."
    assert "inspirierend" not in org.page_source
    org.get(live_url)
    assert "inspirierend" not in org.page_source

    # --- one browser, two people: the organiser opens the mentee's link and switches only on purpose --------------
    org.get(event_link)
    assert "Sie sind als" in org.find_element(By.TAG_NAME, "main").text
    check_page(org, "switch person", problems)
    click_and_wait(org, org.find_element(By.ID, "switch-and-enter"))
    assert org.current_url == live_url, org.current_url
    assert org.find_elements(By.ID, "shortlist-link"), "now the mentee's live page"

    assert not problems, "\n\n".join(problems)
