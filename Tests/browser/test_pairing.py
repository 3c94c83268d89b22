"""Pairing (issue #14), walked in Chromium as the people do it, on the demo's programme ready for pairing:

1. the demo organiser signs in by e-mail, opens *Reverse Mentoring 2026 · Herbst* from her home page and the board
   from the cockpit's "needs attention" list (drafts not yet published); the board shows the computed proposal with reasons and the summary
   beside "first choice first" (axe: nothing serious or critical at 390 and 1280 px; no sideways scrolling at 390);
2. she publishes all drafts; the SMTP test server receives an introduction for every partner;
3. Dr. Karin Vogt and her mentor each follow the link in their introduction, sign in (the link leads through the
   sign-in page and back to *Mein Tandem*), see their partner and accept (axe on *Mein Tandem* at both widths);
4. the tandem is active on both pages and on the board.

Screenshots of the board and of *Mein Tandem* go to $BROWSER_SCREENSHOTS (default /tmp/screenshots).
The module runs its own app and SMTP server (a new database, so the demo as `serve` creates it).
"""

import os
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (DEMO_ORGANISER, DESKTOP, PHONE, click_and_wait, describe, horizontal_overflow, main_text,
                      new_driver, run_axe, run_servers, set_viewport, sign_in_by_email, wait_until, xpath_literal)

PROGRAMME = "Reverse Mentoring 2026 · Herbst"
MENTEE = ("Dr. Karin Vogt", "karin.vogt@demo.example")
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "/tmp/screenshots")
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with run_servers(tmp_path_factory.mktemp("pairing")) as running:
        yield running


def look(driver, name):
    """axe at phone and desktop width, no sideways scrolling on the phone, a full-height screenshot of each."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    for width, height in (PHONE, DESKTOP):
        set_viewport(driver, width, height)
        driver.refresh()
        serious = [v for v in run_axe(driver) if v["impact"] in SERIOUS]
        assert not serious, "%s at %spx:\n%s" % (name, width, describe(serious))
        if width == PHONE[0]:
            assert horizontal_overflow(driver) is None, "%s scrolls sideways: %s" % (name, horizontal_overflow(driver))
        full = driver.execute_script("return document.documentElement.scrollHeight")
        set_viewport(driver, width, min(full, 4000))
        driver.save_screenshot(os.path.join(SCREENSHOTS, "%s-%s-light.png" % (name, width)))
    set_viewport(driver, *DESKTOP)


def tandem_link(servers, mail):
    match = re.search(re.escape(servers.base_url) + r"/tandem\b", mail["text"] or "")
    assert match, "no link to Mein Tandem in the introduction:\n%s" % mail["text"]
    return match.group(0)


def follow_and_sign_in(driver, servers, address, link):
    """Opens the e-mailed link: not signed in, it leads to the sign-in page; the sign-in mail's link leads back."""
    driver.get(link)
    assert "/login" in driver.current_url, driver.current_url
    already = len(servers.mails())
    field = driver.find_element(By.ID, "email")
    field.send_keys(address)
    click_and_wait(driver, field.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
    mail = servers.wait_for_mail(address, after=already)
    sign_in = re.search(re.escape(servers.base_url) + r"/login/[A-Za-z0-9_\-.~%?=&]+", mail["text"] or "").group(0)
    driver.get(sign_in)
    click_and_wait(driver, WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.ID, "confirm-sign-in"))))
    assert driver.current_url == servers.url("/tandem"), driver.current_url


def test_organiser_publishes_and_both_partners_accept(servers, another_browser):
    organiser = another_browser()
    sign_in_by_email(organiser, servers, DEMO_ORGANISER)
    click_and_wait(organiser, organiser.find_element(By.XPATH, "//main//a[normalize-space()=%s]" % xpath_literal(PROGRAMME)))
    attention = organiser.find_element(By.XPATH, "//main//a[contains(., 'noch nicht veröffentlicht')]")
    click_and_wait(organiser, attention)
    assert organiser.find_element(By.TAG_NAME, "h1").text == "Tandembildung"
    text = main_text(organiser)
    assert "Wert des Vorschlags" in text and "„Erste Wahl zuerst“" in text
    assert "Wahl der Mentee" in text, "reasons in words"
    assert "Claudia Neumann" in text and "nach dem Kickoff dazugekommen" in text, "the late mentee, by topics"
    look(organiser, "pairing-board")

    before = len(servers.mails())
    click_and_wait(organiser, organiser.find_element(By.ID, "publish-all"))
    assert "veröffentlicht" in main_text(organiser)
    to_mentee = servers.wait_for_mail(MENTEE[1], after=before)
    assert to_mentee["subject"].startswith("Ihr Tandem in „%s“: " % PROGRAMME), to_mentee["subject"]
    mentor_name = to_mentee["subject"].split("“: ", 1)[1]
    # The mentor's introduction names the mentee in its subject.
    deadline_mails = [m for m in servers.mails()[before:] if m["subject"].endswith(": " + MENTEE[0])]
    if not deadline_mails:
        wait_until(organiser, lambda d: any(m["subject"].endswith(": " + MENTEE[0]) for m in servers.mails()[before:]),
                   timeout=30, message="no introduction naming %s" % MENTEE[0])
        deadline_mails = [m for m in servers.mails()[before:] if m["subject"].endswith(": " + MENTEE[0])]
    to_mentor = deadline_mails[0]
    mentor_address = to_mentor["rcpt_tos"][0]
    assert mentor_name in to_mentee["text"] and MENTEE[0] in to_mentor["text"]
    assert "Vogt Präzisionstechnik GmbH" in to_mentor["text"], "the executive's company for the mentor"

    for name, address, mail, partner in ((MENTEE[0], MENTEE[1], to_mentee, mentor_name),
                                         (mentor_name, mentor_address, to_mentor, MENTEE[0])):
        driver = another_browser()
        follow_and_sign_in(driver, servers, address, tandem_link(servers, mail))
        page = main_text(driver)
        assert partner in page and "Warum Sie beide" in page and "Tandem bestätigen" in page, page
        if name == MENTEE[0]:
            look(driver, "my-tandem")
        click_and_wait(driver, driver.find_element(By.XPATH, "//button[contains(., 'Tandem bestätigen')]"))
        assert "Sie haben Ihr Tandem bestätigt" in main_text(driver)
    assert "Aktiv" in main_text(driver) and "Ihr Tandem ist aktiv" in main_text(driver)
    organiser.refresh()
    row = organiser.find_element(By.XPATH, "//tr[.//strong[normalize-space()=%s]]" % xpath_literal(MENTEE[0]))
    assert "Aktiv" in row.text, row.text
