"""First browser tests: sign-in through the e-mail, both languages, the outbox, keyboard, axe-core, phone widths."""

import os
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (h1, DEMO_ORGANISER, DESKTOP, PHONE, click_and_wait, describe, horizontal_overflow, run_axe,
                      set_viewport, sign_in_by_email)

ORGANISER_PAGES = ["/", "/login", "/dashboard", "/account", "/organiser/outbox", "/organiser/programmes/new"]


def html_lang(driver):
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def test_sign_in_by_email_dashboard_in_german_and_english(browser, servers):
    mail = sign_in_by_email(browser, servers)
    assert mail["rcpt_tos"] == [DEMO_ORGANISER]
    assert mail["tls"], "the outbox worker should have used STARTTLS"
    assert mail["auth_mechanism"] in ("PLAIN", "LOGIN")

    assert html_lang(browser) == "de"
    assert h1(browser) == "Hallo Dana Demo"
    row = browser.find_element(By.XPATH, "//table//tr[th[normalize-space()='Reverse Mentoring 2027']]")
    assert "Bewerbung & Einladung" in row.text

    switch = browser.find_element(By.CSS_SELECTOR, "header a[hreflang='en']")
    assert switch.text == "English"
    assert switch.get_attribute("lang") == "en"
    click_and_wait(browser, switch)
    assert html_lang(browser) == "en"
    assert h1(browser) == "Hello Dana Demo"
    row = browser.find_element(By.XPATH, "//table//tr[th[normalize-space()='Reverse Mentoring 2027']]")
    assert "Intake" in row.text
    assert "Bewerbung" not in browser.find_element(By.TAG_NAME, "main").text

    # The choice sticks for the next page, and the switch now offers German.
    browser.get(servers.url("/account"))
    assert html_lang(browser) == "en"
    back = browser.find_element(By.CSS_SELECTOR, "header a[hreflang='de']")
    click_and_wait(browser, back)
    assert html_lang(browser) == "de"


def test_outbox_lists_the_sign_in_mail_as_sent(organiser, servers):
    organiser.get(servers.url("/organiser/outbox"))
    assert h1(organiser) == "Postausgang"
    # The worker marks the message sent right after the SMTP server accepted it; allow it a moment.
    status = None
    for _ in range(20):
        rows = organiser.find_elements(By.XPATH, "//table/tbody/tr[td[normalize-space()='%s']]" % DEMO_ORGANISER)
        assert rows, "no outbox row for %s:\n%s" % (DEMO_ORGANISER, organiser.find_element(By.TAG_NAME, "main").text)
        status = rows[0].find_element(By.CSS_SELECTOR, ".badge").text
        if status == "Gesendet":
            break
        time.sleep(0.5)
        organiser.refresh()
    assert status == "Gesendet"

    organiser.get(servers.url("/organiser/outbox?lang=en"))
    assert h1(organiser) == "Outbox"
    rows = organiser.find_elements(By.XPATH, "//table/tbody/tr[td[normalize-space()='%s']]" % DEMO_ORGANISER)
    assert rows[0].find_element(By.CSS_SELECTOR, ".badge").text == "Sent"


def test_keyboard_skip_link_and_labelled_sign_in_fields(browser, servers):
    browser.get(servers.url("/login"))
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.tag_name == "a" and "skip-link" in focused.get_attribute("class"), \
        "first Tab stop is %s" % focused.get_attribute("outerHTML")
    assert focused.text == "Zum Inhalt springen", "the skip link should be visible once focused"
    assert focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda d: d.switch_to.active_element.get_attribute("id") == "main")
    assert browser.current_url.endswith("#main")
    # The next Tab from main goes into the content (not back to the header).
    browser.switch_to.active_element.send_keys(Keys.TAB)
    inside_main = browser.execute_script("return document.getElementById('main').contains(document.activeElement)")
    assert inside_main, "Tab after the skip link left main: %s" % browser.switch_to.active_element.get_attribute("outerHTML")

    # Every visible form field on the sign-in page has a label that names it.
    fields = browser.find_elements(By.CSS_SELECTOR, "main input:not([type=hidden]), main select, main textarea")
    assert len(fields) >= 3
    for field in fields:
        label = browser.execute_script(
            "const f = arguments[0]; return Array.from(f.labels || []).map(l => l.textContent.trim()).join(' ')"
            " || f.getAttribute('aria-label') || ''", field)
        assert label, "field without a label: %s" % field.get_attribute("outerHTML")
    email = browser.find_element(By.ID, "email")
    assert email.accessible_name == "E-Mail-Adresse"
    # Clicking the label focuses its field.
    browser.find_element(By.CSS_SELECTOR, "label[for=email]").click()
    assert browser.switch_to.active_element.get_attribute("id") == "email"


# --- axe-core -----------------------------------------------------------------------------------------------

def test_axe_itself_finds_problems(browser):
    """A clean axe result below means something only if the injected axe-core really reports violations."""
    browser.get("data:text/html;charset=utf-8,<html><body><img src='x.png'><a href='%23'></a></body></html>")
    found = {v["id"] for v in run_axe(browser)}
    assert {"image-alt", "html-has-lang", "link-name"} <= found, found


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_no_serious_or_critical_violations(organiser, servers, lang, viewport):
    # Both widths: some rules (e.g. scrollable-region-focusable) only apply once a table has to scroll.
    set_viewport(organiser, *viewport)
    problems = []
    report = []

    def check(path, who):
        violations = run_axe(organiser)
        landed = organiser.current_url[len(servers.base_url):].split("?")[0]
        if landed != path:
            path = "%s -> %s" % (path, landed)
        report.append("%s (%s): %s" % (path, who, ", ".join("%s(%s)" % (v["id"], v["impact"]) for v in violations)
                                       or "clean"))
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            problems.append("%s (%s, %dx%d, lang=%s)\n%s" % (path, who, viewport[0], viewport[1], lang,
                                                             describe(serious)))

    for path in ORGANISER_PAGES:
        organiser.get(servers.url(path + "?lang=" + lang))
        assert html_lang(organiser) == lang
        check(path, "organiser")
    organiser.delete_all_cookies()  # and the pages an anonymous visitor sees
    for path in ("/", "/login"):
        organiser.get(servers.url(path + "?lang=" + lang))
        check(path, "anonymous")
    print("\n".join(report))
    assert not problems, "axe-core found serious/critical violations:\n" + "\n\n".join(problems)


# --- phone and desktop widths -------------------------------------------------------------------------------

@pytest.mark.parametrize("width,height", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_horizontal_scrolling(organiser, servers, width, height, tmp_path_factory):
    set_viewport(organiser, width, height)
    overflowing = []
    for lang in ("de", "en"):
        for path in ORGANISER_PAGES:
            organiser.get(servers.url(path + "?lang=" + lang))
            assert organiser.execute_script("return window.innerWidth") == width
            problem = horizontal_overflow(organiser)
            if problem:
                overflowing.append("%s?lang=%s: %s" % (path, lang, problem))
    organiser.get(servers.url("/dashboard?lang=de"))
    shots = os.environ.get("BROWSER_SCREENSHOTS", "/tmp")
    os.makedirs(shots, exist_ok=True)
    height_needed = organiser.execute_script("return document.documentElement.scrollHeight")
    set_viewport(organiser, width, max(height, height_needed))
    organiser.save_screenshot(os.path.join(shots, "dashboard-%dx%d.png" % (width, height)))
    assert not overflowing, "horizontal scrolling at %d px:\n" % width + "\n".join(overflowing)
