"""The kickoff around the live rounds, in real browsers against the real server and SMTP server.

The organiser sends the invitations: the mentee's e-mail arrives over SMTP with `invite.ics`, which the
`icalendar` package parses (start = the kickoff's start, URL = the personal link in the text). The mentee
opens that link (confirm page → live lobby, check-in); the mentee's round-1 partner opens the link from the
organiser's list of personal links in a second browser. The organiser's live view shows who is connected and
checked in, then the organiser starts and ends the event. Both saw each other's card (the server re-planned
for the two present). The mentee answers the quick rating with a private note, opens the shortlist, ranks the
partner; the mentor marks the mentee. The organiser sees the completion, never the note. Pages are checked
with axe-core (no serious/critical) at phone and desktop widths and for sideways scrolling on a phone.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import (DESKTOP, FAKE_MEDIA, PHONE, click_and_wait, describe, horizontal_overflow, run_axe,
                      set_viewport, wait_until)

PROGRAMME = "Reverse Mentoring 2027"
MENTEE = ("Dr. Karin Vogt", "karin.vogt@demo.example")
NOTE = "Sehr inspirierend <script>alert(1)</script> – weiter so"


def xpath_literal(text):
    return "'%s'" % text if "'" not in text else '"%s"' % text


def button(driver, text):
    return driver.find_element(By.XPATH, "//main//button[normalize-space()=%s]" % xpath_literal(text))


def link(driver, text):
    return driver.find_element(By.XPATH, "//main//a[normalize-space()=%s]" % xpath_literal(text))


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


def test_invitation_ics_links_lobby_rating_and_shortlist(organiser, servers, another_browser):
    org, problems = organiser, []
    click_and_wait(org, link(org, PROGRAMME))
    click_and_wait(org, link(org, "Kickoff & Speed Networking"))
    kickoff_page = org.current_url
    starts_local = org.find_element(By.ID, "startsAt").get_attribute("value")  # Europe/Berlin, as saved
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
    check_page(mentee, "lobby", problems)

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

    # --- start: both see each other (the plan is re-made for the two present); then end ---------------------------
    org.get(kickoff_page)
    click_and_wait(org, button(org, "Starten"))
    for driver, other in ((mentee, partner_name), (mentor, MENTEE[0])):
        wait_until(driver, lambda d: d.find_element(By.ID, "partner-card").is_displayed()
                   and d.find_element(By.ID, "partner-name").text == other, 10, "partner card with %s" % other)
    check_page(mentee, "live round", problems)
    click_and_wait(org, button(org, "Beenden"))

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
