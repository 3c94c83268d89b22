"""The intake forms with the sizes people really send, in Chromium: a programme with a long description and privacy
notice, mentor applications with long motivations (realistic and at the documented maximum of 2,000 characters),
and a member list of 300 lines uploaded as a file and pasted into the text field.

Longer forms arrive at the server in several pieces; the CSRF check once read them before they were complete and
answered "Kein Zugriff" (403), and the typed text was lost. Every form here must go through and show what was typed,
unchanged and escaped (the texts contain umlauts, ß, quotes, line breaks, & and a <script> tag).

The module runs its own app and SMTP server (a fresh demo): the two imports queue 600 invitation e-mails, which
would hold up other tests' sign-in mails behind them. The tests build on each other in file order (STATE); a later
test skips when the step it needs did not happen. Screenshots at 390 and 1280 px go to $BROWSER_SCREENSHOTS or /tmp.
"""

import sys
from pathlib import Path
import base64
import os
import re
import sqlite3
import uuid

import pytest
from selenium.webdriver.common.by import By
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from realistic_text import german_text  # noqa: E402

from conftest import (xpath_literal, main_text, h1, flashes, DESKTOP, PHONE, click_and_wait, horizontal_overflow, run_servers, set_viewport, sign_in_by_email,
                      wait_until)

SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "/tmp")
MOTIVATION_LIMIT = 2000   # "Ein paar Sätze, höchstens 2000 Zeichen." (MentorApplicationDraft.motivationLimit)
NAME_LIMIT = 120          # applicant's name and programme name
MEMBERS = 300
SLOW = 90                 # seconds for a page that stores or checks hundreds of rows on a busy 2-core machine

STATE = {}  # programme_id, programme_name, description, privacy, applicants: {email: motivation}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """This module's own app + SMTP server (see the module docstring)."""
    with run_servers(tmp_path_factory.mktemp("realistic-sizes")) as running:
        yield running


def programme_in_intake(servers):
    """The programme of test 1 (long description and privacy notice); if that step failed, the demo programme
    (in intake too), so that the application and import tests still run and show their own result."""
    if "programme_id" in STATE:
        return STATE["programme_id"]
    database = sqlite3.connect(os.path.join(os.path.dirname(servers.app_log), "mentoring.sqlite"))
    try:
        [(raw,)] = database.execute("SELECT id FROM programmes WHERE name = 'Reverse Mentoring 2027'").fetchall()
    finally:
        database.close()
    return str(uuid.UUID(bytes=raw) if isinstance(raw, bytes) else uuid.UUID(raw)).upper()


def need(*keys):
    missing = [key for key in keys if key not in STATE]
    if missing:
        pytest.skip("an earlier step did not complete (no %s)" % ", ".join(missing))
    return [STATE[key] for key in keys] if len(keys) > 1 else STATE[keys[0]]


# --- realistic German text -------------------------------------------------------------------------------------

# german_text: Tests/support/realistic_text.py (shared with the other suite).


def words_up_to(length, words):
    """Real words joined by spaces, cut to exactly `length` characters (not ending in a space)."""
    text = ""
    index = 0
    while len(text) < length:
        text += ("" if not text else " ") + words[index % len(words)]
        index += 1
    text = text[:length]
    while text.endswith((" ", "-")):
        text = text[:-1] + "e"
    assert len(text) == length
    return text


_FIRST = ["Jürgen", "Änne", "Björn", "Özlem", "Grete", "Maximilian", "Sören", "Ülkü", "Hans-Peter", "Dr. Käthe",
          "Frauke", "Jörg", "Prof. Dr. Dörte", "Günther", "Ayşe"]
_LAST = ["Weiß", "Groß", "Müller-Lüdenscheidt", "Schäfer", "Öztürk", "Straßburger", "Kühne", "Bäumer", "Fuß",
         "Nußbaum", "Höß", "Lührs", "Meißner"]
_COMPANY = ['"Müller, Söhne & Co. KG"', "Bäckerei Groß GmbH", '"Schäfer, Kühne und Partner mbB"',
            '"Brauerei ""Zum Löwen"" AG"', "Öztürk Logistik GmbH", '"Straßen- und Tiefbau Fuß, Nord"',
            "Maschinenbau Weißenfels AG"]
_POSITION = ["Geschäftsführerin", "CTO", "Vorstand Technik", '"Leiter IT, Digitalisierung"', "Bereichsleiterin",
             "Inhaber", "Chief Digital Officer"]


def member_csv(count, tag, line_end="\n"):
    lines = ["name,email,company,position"]
    for i in range(count):
        lines.append("%s %s,person%03d.%s@mitglied.example,%s,%s" % (
            _FIRST[i % len(_FIRST)], _LAST[(i * 7) % len(_LAST)], i + 1, tag, _COMPANY[i % len(_COMPANY)],
            _POSITION[(i * 3) % len(_POSITION)]))
    return line_end.join(lines) + line_end


def unquote(field):
    return field[1:-1].replace('""', '"') if field.startswith('"') else field


# --- acting like a person, reading the page ---------------------------------------------------------------------


def button(driver, text):
    return driver.find_element(By.XPATH, "//main//button[normalize-space()=%s]" % xpath_literal(text))


def type_into(driver, field_id, text):
    """Types the text key by key, as a person (line breaks included); checks the field holds all of it."""
    field = driver.find_element(By.ID, field_id)
    field.clear()
    for start in range(0, len(text), 500):  # several commands: each stays well within chromedriver's timeout
        field.send_keys(text[start:start + 500])
    assert field.get_attribute("value") == text, "the field %s does not hold what was typed" % field_id
    return field


def paste_into(driver, field_id, text):
    """Inserts the text at once, as a paste does (one input event, not key by key)."""
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.click()
    driver.execute_cdp_cmd("Input.insertText", {"text": text})
    assert field.get_attribute("value") == text, "the pasted text is not all in %s" % field_id
    return field


def text_content(element):
    """The text as stored in the page (line breaks kept), whatever CSS does with white space."""
    return element.parent.execute_script("return arguments[0].textContent", element)


def not_a_csrf_failure(driver):
    assert h1(driver) != "Kein Zugriff", "refused as a CSRF failure: %s" % main_text(driver)[:500]


def screenshot(driver, name, viewport, element=None):
    """PNG of the viewport, or of one whole element (however tall), at `viewport`; returns the path."""
    set_viewport(driver, *viewport)
    path = os.path.join(SCREENSHOTS, "realistic-%s-%d.png" % (name, viewport[0]))
    if element is not None:
        box = driver.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}", element)
        data = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "clip": dict(box, scale=1)})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
    else:
        driver.save_screenshot(path)
    print("screenshot:", path)
    return path


def check_widths(driver, name, problems):
    for viewport in (PHONE, DESKTOP):
        set_viewport(driver, *viewport)
        overflow = horizontal_overflow(driver)
        if overflow:
            problems.append("%s scrolls sideways at %d px: %s" % (name, viewport[0], overflow))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def patient(driver):
    driver.set_page_load_timeout(SLOW + 30)
    return driver


# --- 1. a programme with a long description and privacy notice ------------------------------------------------------

def test_programme_with_long_description_and_privacy_notice(organiser, servers):
    driver = patient(organiser)
    click_and_wait(driver, driver.find_element(By.XPATH, "//main//a[normalize-space()='Neues Programm']"))
    name = words_up_to(NAME_LIMIT, ["Reverse", "Mentoring", "der", "Südwestfälischen", "Industrie-", "und",
                                    "Handelskammer", "für", "Maschinenbau,", "Logistik", "&", "Handwerk", "2028"])
    description = german_text(5000)
    privacy = german_text(3000, paragraph_every=2, start=4)
    type_into(driver, "name", name)
    type_into(driver, "description", description)
    type_into(driver, "focusTopics", "KI, Social Media, Datenplattformen, Digitaler Arbeitsplatz")
    type_into(driver, "contacts", "Heike Beispiel <heike@institut.example>\nJörg Groß <joerg.gross@institut.example>")
    type_into(driver, "requiredTalentProgramme", "Aspire")
    type_into(driver, "privacyNotice", privacy)
    click_and_wait(driver, button(driver, "Speichern"), timeout=SLOW)
    not_a_csrf_failure(driver)
    assert not driver.find_elements(By.CSS_SELECTOR, ".error-summary"), main_text(driver)[:1000]
    match = re.fullmatch(re.escape(servers.url("/organiser/programmes/")) + r"([0-9A-Fa-f-]{36})", driver.current_url)
    assert match, driver.current_url
    assert h1(driver) == name
    assert flashes(driver) == ["Programm „%s“ angelegt." % name]
    assert text_content(driver.find_element(By.CSS_SELECTOR, "main p.lead")) == description
    assert not driver.find_elements(By.XPATH, "//main//script"), "the <script> in the description became an element"

    # The edit form shows both texts exactly as typed.
    click_and_wait(driver, driver.find_element(By.XPATH, "//main//a[normalize-space()='Einstellungen bearbeiten']"))
    assert driver.find_element(By.ID, "description").get_attribute("value") == description
    assert driver.find_element(By.ID, "privacyNotice").get_attribute("value") == privacy
    driver.get(servers.url("/organiser/programmes/%s" % match.group(1)))
    for summary in driver.find_elements(By.CSS_SELECTOR, "#phase-confirm summary"):
        summary.click()  # the change asks for confirmation
    click_and_wait(driver, button(driver, "Weiter zur Phase „Bewerbung & Einladung“"))
    not_a_csrf_failure(driver)
    STATE.update(programme_id=match.group(1), programme_name=name, description=description, privacy=privacy)


# --- 2. mentor applications with long motivations -----------------------------------------------------------------

APPLICANTS = [
    # (name, e-mail, motivation length): a realistic one, and everything at its documented maximum.
    ("Änne Weiß-Öztürk", "aenne.weiss@talente.example", 1400),
    (words_up_to(NAME_LIMIT, ["Prof.", "Dr.", "Änne-Charlotte", "Freifrau", "von", "Weißenfels-Öztürk", "zu",
                              "Großbüllesheim", "und", "Straßburg"]), "maximal.lang@talente.example", MOTIVATION_LIMIT),
]


def test_mentor_applications_with_long_motivation(browser, servers):
    programme_id = programme_in_intake(servers)
    description, privacy = STATE.get("description"), STATE.get("privacy")
    driver = patient(browser)
    applicants = {}
    for index, (name, email, length) in enumerate(APPLICANTS):
        motivation = german_text(length, start=index * 3)
        driver.delete_all_cookies()
        driver.get(servers.url("/programmes/%s/apply" % programme_id))
        not_a_csrf_failure(driver)
        if description:
            assert text_content(driver.find_element(By.CSS_SELECTOR, "main p.lead")) == description
            details = driver.find_element(By.CSS_SELECTOR, "details.privacy")
            details.find_element(By.TAG_NAME, "summary").click()
            assert text_content(details.find_element(By.TAG_NAME, "p")) == privacy
        type_into(driver, "name", name)
        type_into(driver, "email", email)
        type_into(driver, "teamRole", "Data & Analytics, Werkstudentin → Engineer")
        date = driver.find_element(By.ID, "companyStartDate")
        driver.execute_script("arguments[0].value = '2022-09-01'", date)  # date controls: see test_intake.type_date
        type_into(driver, "expertiseTopics", "KI, Social Media, Datenplattformen, Low-Code")
        type_into(driver, "languages", "Deutsch, Englisch, Türkisch")
        field = type_into(driver, "motivation", motivation)
        driver.find_element(By.CSS_SELECTOR, "label[for=tookPartInTalentProgramme]").click()
        if length == MOTIVATION_LIMIT:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
            for viewport in (PHONE, DESKTOP):
                screenshot(driver, "application-form", viewport)
                screenshot(driver, "application-form-whole-form", viewport,
                           element=driver.find_element(By.CSS_SELECTOR, "main form.stacked"))
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        click_and_wait(driver, button(driver, "Bewerbung absenden"), timeout=SLOW)
        not_a_csrf_failure(driver)
        assert not driver.find_elements(By.CSS_SELECTOR, ".error-summary"), main_text(driver)[:1000]
        assert driver.current_url == servers.url("/programmes/%s/apply/sent" % programme_id)
        assert h1(driver) == "Fast geschafft"
        applicants[email] = (name, motivation)
    STATE["applicants"] = (programme_id, applicants)


def test_review_queue_shows_the_motivations_intact(organiser, servers):
    programme_id, applicants = need("applicants")
    driver = patient(organiser)
    driver.get(servers.url("/organiser/programmes/%s/applications" % programme_id))
    for email, (name, motivation) in applicants.items():
        card = driver.find_element(By.XPATH, "//ul[contains(@class,'applications')]/li[.//label[contains(., %s)]]"
                                   % xpath_literal(email))
        assert name in card.find_element(By.TAG_NAME, "label").text
        details = card.find_element(By.TAG_NAME, "details")
        details.find_element(By.TAG_NAME, "summary").click()
        assert text_content(details.find_element(By.TAG_NAME, "p")) == motivation, "motivation of %s changed" % email
    assert not driver.find_elements(By.XPATH, "//main//script"), "a <script> from a motivation became an element"
    problems = []
    check_widths(driver, "review queue with long motivations", problems)
    assert not problems, "\n".join(problems)


# --- 3. line breaks in long texts are shown as the writer made them ------------------------------------------------

def test_paragraphs_of_long_texts_are_shown_as_paragraphs(organiser, servers):
    """The texts are stored intact (tests above); here: the paragraphs a writer made are visible, not run together
    into one block (white space in a <p> collapses unless CSS keeps it). Before the imports: their 600 e-mails
    would hold up this test's sign-in mail."""
    programme_id, description = need("programme_id", "description")
    driver = organiser
    collapsed = []
    driver.get(servers.url("/organiser/programmes/%s" % programme_id))
    lead = driver.find_element(By.CSS_SELECTOR, "main p.lead")
    if "\n" not in lead.text:
        collapsed.append("programme page: description (%s)" % driver.execute_script(
            "return getComputedStyle(arguments[0]).whiteSpace", lead))
    if STATE.get("applicants"):
        driver.get(servers.url("/organiser/programmes/%s/applications" % STATE["applicants"][0]))
        details = driver.find_element(By.CSS_SELECTOR, "ul.applications details")
        details.find_element(By.TAG_NAME, "summary").click()
        if "\n" not in details.find_element(By.TAG_NAME, "p").text:
            collapsed.append("review queue: motivation")
    driver.get(servers.url("/programmes/%s/apply" % programme_id))
    details = driver.find_element(By.CSS_SELECTOR, "details.privacy")
    details.find_element(By.TAG_NAME, "summary").click()
    if "\n" not in details.find_element(By.TAG_NAME, "p").text:
        collapsed.append("application form: privacy notice")
    assert not collapsed, "line breaks typed into these texts are not shown (all paragraphs run together): " + \
        "; ".join(collapsed)


# --- 4. a member list of 300 lines: as a file, and pasted ---------------------------------------------------------

def preview_rows(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('main table tbody tr'))"
        ".map(tr => Array.from(tr.cells).map(td => td.textContent))")


def invited_count(driver):
    # "2 eingeladen", the number above its label (split on any whitespace: the number is a block of its own).
    funnel = {li.text.split(None, 1)[1]: int(li.text.split(None, 1)[0])
              for li in driver.find_elements(By.CSS_SELECTOR, "ul.funnel li")}
    return funnel["eingeladen"]


def expected_rows(csv_text):
    import csv
    import io
    return [[str(number)] + row for number, row in enumerate(csv.reader(io.StringIO(csv_text)), start=1)][1:]


def check_preview(driver, csv_text, name, problems):
    not_a_csrf_failure(driver)
    assert h1(driver) == "Vorschau des Imports", main_text(driver)[:1000]
    assert "%d Einladungen sind bereit." % MEMBERS in main_text(driver), main_text(driver)[:1500]
    rows = preview_rows(driver)
    assert len(rows) == MEMBERS
    assert rows == expected_rows(csv_text), "the preview differs from the list (first rows: %r)" % rows[:3]
    check_widths(driver, name, problems)
    for viewport in (PHONE, DESKTOP):
        screenshot(driver, name, viewport)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_member_list_of_300_lines_uploaded_and_pasted(organiser, servers, tmp_path):
    programme_id = programme_in_intake(servers)
    driver = patient(organiser)
    problems = []
    members = servers.url("/organiser/programmes/%s/members" % programme_id)

    # As a file, the way a spreadsheet exports it (CRLF line ends).
    uploaded = member_csv(MEMBERS, "datei", line_end="\r\n")
    path = tmp_path / "Mitgliederliste März 2028.csv"
    path.write_bytes(uploaded.encode("utf-8"))
    driver.get(members)
    before = invited_count(driver)  # the demo programme (fallback) has invitations already
    driver.find_element(By.ID, "file").send_keys(str(path))
    click_and_wait(driver, button(driver, "Vorschau"), timeout=SLOW)
    check_preview(driver, uploaded, "import-preview-file", problems)
    click_and_wait(driver, button(driver, "%d Einladungen senden" % MEMBERS), timeout=SLOW)
    not_a_csrf_failure(driver)
    assert driver.current_url == members, main_text(driver)[:1000]
    assert flashes(driver) == ["%d Einladungen wurden angelegt und werden versendet." % MEMBERS]
    assert invited_count(driver) == before + MEMBERS

    # Pasted into the text field.
    pasted = member_csv(MEMBERS, "eingefuegt")
    paste_into(driver, "csv", pasted)
    click_and_wait(driver, button(driver, "Vorschau"), timeout=SLOW)
    check_preview(driver, pasted, "import-preview-paste", problems)
    click_and_wait(driver, button(driver, "%d Einladungen senden" % MEMBERS), timeout=SLOW)
    not_a_csrf_failure(driver)
    assert driver.current_url == members, main_text(driver)[:1000]
    assert invited_count(driver) == before + 2 * MEMBERS

    # Everybody is in the list of invitations, companies with their commas and quotes.
    emails = driver.execute_script(
        "return Array.from(document.querySelectorAll('main table tbody tr td:nth-child(2)')).map(td => td.textContent)")
    assert len(emails) == before + 2 * MEMBERS
    assert "person300.datei@mitglied.example" in emails and "person001.eingefuegt@mitglied.example" in emails
    companies = set(driver.execute_script(
        "return Array.from(document.querySelectorAll('main table tbody tr td:nth-child(3)')).map(td => td.textContent)"))
    assert {unquote(c) for c in _COMPANY} <= companies, companies
    check_widths(driver, "members page with 600 invitations", problems)
    assert not problems, "\n".join(problems)
