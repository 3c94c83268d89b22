"""The intake, walked as the people who do it: an organiser sets up a programme and opens it, mentors apply on the
public page and confirm by e-mail, the organiser preselects, imports the member list and sends invitations, an
invitee registers (with consent, choosing English), QR codes decode to the links printed next to them, and
axe-core and a phone-width check look at every intake page.

The tests build on each other in file order (one programme for the module, in STATE); a later test skips when
the step it needs did not happen. German UI unless a step says otherwise.
"""

import datetime
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import (xpath_literal, main_text, h1, link, flashes, DESKTOP, PHONE, click_and_wait, describe, horizontal_overflow, run_axe, set_viewport,
                      wait_until)

PROGRAMME = "Reverse Mentoring Digitalwerk 2028"
CONTACT = "Heike Beispiel <heike@institut.example>"
PRIVACY = "Wir verarbeiten Ihre Angaben nur für das Digitalwerk-Programm (Testhinweis)."
MENTOR = {"name": "Mila Mentorin", "email": "mila.mentorin@talente.example"}
NEWCOMER = {"name": "Tom Neuling", "email": "tom.neuling@talente.example"}
MEMBERS_CSV = ('name,email,company,position\n'
               'Dr. Erika Vorstand,erika.vorstand@mitglied.example,"Muster, Söhne & Co. KG",Vorständin\n'
               'Hans Leitung,hans.leitung@mitglied.example,Beispiel AG,Bereichsleiter\n')
ERIKA = {"name": "Dr. Erika Vorstand", "email": "erika.vorstand@mitglied.example", "company": "Muster, Söhne & Co. KG",
         "position": "Vorständin"}
HANS = {"name": "Hans Leitung", "email": "hans.leitung@mitglied.example", "company": "Beispiel AG"}

STATE = {}  # programme_id, mentor/newcomer_applied, invitation_link (Erika's, from the e-mail), members_invited,
           # printed_link (Hans's), join_link


def need(*keys):
    missing = [key for key in keys if key not in STATE]
    if missing:
        pytest.skip("an earlier intake step did not complete (no %s)" % ", ".join(missing))
    return [STATE[key] for key in keys] if len(keys) > 1 else STATE[keys[0]]


# --- small helpers: acting like a person, reading the page ------------------------------------------------


def button(driver, text, scope=None):
    scope = scope or driver
    return scope.find_element(By.XPATH, ".//button[normalize-space()=%s]" % xpath_literal(text))


def type_into(driver, field_id, text):
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)
    return field


def _control_locale_is_us(driver):
    # Headless Chromium draws date controls in its ICU locale (en-US here, whatever --lang says): month first and
    # a 12-hour clock. Type the keys a person would type into the control they see.
    return driver.execute_script("return Intl.DateTimeFormat().resolvedOptions().locale").startswith("en-US")


def type_date(driver, field_id, date):
    field = driver.find_element(By.ID, field_id)
    field.clear()
    if _control_locale_is_us(driver):
        field.send_keys(date.strftime("%m%d%Y"))
    else:
        field.send_keys(date.strftime("%d%m%Y"))
    assert field.get_attribute("value") == date.isoformat(), field.get_attribute("value")


def type_datetime(driver, field_id, moment):
    field = driver.find_element(By.ID, field_id)
    field.clear()
    if _control_locale_is_us(driver):
        field.send_keys(moment.strftime("%m%d%Y") + Keys.TAB + moment.strftime("%I%M%p"))
    else:
        field.send_keys(moment.strftime("%d%m%Y") + Keys.TAB + moment.strftime("%H%M"))
    assert field.get_attribute("value") == moment.strftime("%Y-%m-%dT%H:%M"), field.get_attribute("value")


def berlin_today():
    return datetime.datetime.now(ZoneInfo("Europe/Berlin")).date()


def months_before(day, months):
    """The same day `months` earlier (day 28 at most, so it exists): exactly `months` whole months of tenure."""
    total = day.year * 12 + (day.month - 1) - months
    return datetime.date(total // 12, total % 12 + 1, min(day.day, 28))


def link_in_mail(servers, mail, path_pattern):
    match = re.search(re.escape(servers.base_url) + path_pattern, mail["text"] or "")
    assert match, "no %s link in the mail text:\n%s" % (path_pattern, mail["text"])
    return match.group(0)


def decode_qr(element, path):
    """Screenshot one element and decode it with zbar, as a phone camera would read the printed code."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg missing: run `bash Tests/support/install_browser.sh` (installs Debian zbar-tools)",
                    pytrace=False)
    element.screenshot(str(path))
    run = subprocess.run([zbarimg, "-q", "--raw", "-Sbinary", str(path)], capture_output=True, timeout=30)
    assert run.returncode == 0, "zbarimg read no code from %s (exit %d): %s" % (path, run.returncode, run.stderr)
    return run.stdout.decode("utf-8").rstrip("\n")


def programme_url(servers, suffix=""):
    return servers.url("/organiser/programmes/%s%s" % (need("programme_id"), suffix))


# --- 1. the organiser sets up a programme --------------------------------------------------------------------

def test_organiser_creates_programme_with_a_correction_and_opens_intake(organiser, servers):
    driver = organiser
    click_and_wait(driver, link(driver, "Neues Programm"))
    assert driver.current_url == servers.url("/organiser/programmes/new")
    assert h1(driver) == "Neues Programm"

    kickoff = datetime.datetime(berlin_today().year + 1, 3, 12, 17, 30)
    type_into(driver, "name", PROGRAMME)
    type_into(driver, "description", "Tech-Talente begleiten die Geschäftsleitung des Digitalwerks.")
    type_into(driver, "focusTopics", "KI, Social Media, Datenplattformen")
    type_into(driver, "contacts", CONTACT)
    type_datetime(driver, "kickoffAt", kickoff)
    type_into(driver, "durationMonths", "13")  # a slip: the form allows 4 to 12
    type_into(driver, "requiredTalentProgramme", "Aspire")
    type_into(driver, "minimumTenureMonths", "6")
    type_into(driver, "privacyNotice", PRIVACY)
    click_and_wait(driver, button(driver, "Speichern"))

    # Still the form, with a summary naming the problem and the message next to the field; nothing else lost.
    assert driver.current_url == servers.url("/organiser/programmes")
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "Bitte korrigieren Sie diese Angaben:" in summary.text
    links = summary.find_elements(By.CSS_SELECTOR, "a")
    assert [a.text for a in links] == ["Laufzeit der Tandems (Monate): Erlaubt ist 4–12."], [a.text for a in links]
    assert links[0].get_attribute("href").endswith("#durationMonths")
    field = driver.find_element(By.ID, "durationMonths")
    assert driver.find_element(By.ID, "durationMonths-error").text == "Erlaubt ist 4–12."
    assert field.get_attribute("aria-invalid") == "true"
    assert "durationMonths-error" in field.get_attribute("aria-describedby").split()
    assert "Erlaubt ist 4–12." in field.accessible_name + " " + driver.execute_script(
        "return arguments[0].getAttribute('aria-describedby').split(' ').map(i => i && document.getElementById(i)"
        ".textContent).join(' ')", field)
    assert driver.find_element(By.ID, "name").get_attribute("value") == PROGRAMME
    assert driver.find_element(By.ID, "contacts").get_attribute("value") == CONTACT
    assert driver.find_element(By.ID, "kickoffAt").get_attribute("value") == kickoff.strftime("%Y-%m-%dT%H:%M")

    # The summary link is reachable with Tab and takes the reader to the field.
    driver.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(30):
        if driver.switch_to.active_element == links[0]:
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element == links[0], "the error summary link is not reachable with Tab"
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("#durationMonths"))
    assert driver.execute_script("return document.querySelector(':target') === arguments[0]", field)
    assert driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight", field), \
        "the field is not scrolled into view after following the summary link"
    assert driver.switch_to.active_element == field, \
        "focus after following the summary link: %s" % driver.switch_to.active_element.get_attribute("outerHTML")

    type_into(driver, "durationMonths", "10")
    click_and_wait(driver, button(driver, "Speichern"))
    match = re.fullmatch(re.escape(servers.url("/organiser/programmes/")) + r"([0-9A-Fa-f-]{36})", driver.current_url)
    assert match, driver.current_url
    STATE["programme_id"] = match.group(1)
    assert h1(driver) == PROGRAMME
    assert flashes(driver) == ["Programm „%s“ angelegt." % PROGRAMME]

    facts = dict(zip([dt.text for dt in driver.find_elements(By.CSS_SELECTOR, "dl.facts dt")],
                     [dd.text for dd in driver.find_elements(By.CSS_SELECTOR, "dl.facts dd")]))
    assert facts["Laufzeit"] == "10 Monate"
    assert facts["Voraussetzungen Mentor:innen"] == \
        "mindestens 6 Monate im Unternehmen; Teilnahme am Programm „Aspire“"
    assert facts["Ansprechpartner:innen"] == CONTACT
    assert facts["Schwerpunktthemen"].split() == ["KI", "Social", "Media", "Datenplattformen"]
    assert facts["Speed Networking"] == "8 Runden à 5 Minuten"
    assert facts["Kickoff (Datum und Uhrzeit)"] != "–"

    # Draft → intake, with the button; the phase list follows.
    current = driver.find_element(By.CSS_SELECTOR, ".phase-steps [aria-current=step]")
    assert current.text == "Entwurf"
    driver.find_element(By.CSS_SELECTOR, "#phase-confirm summary").click()  # the change asks for confirmation
    click_and_wait(driver, button(driver, "Weiter zur Phase „Bewerbung & Einladung“"))
    assert driver.current_url == programme_url(servers)
    assert flashes(driver) == ["Das Programm ist jetzt in der Phase „Bewerbung & Einladung“."]
    assert driver.find_element(By.CSS_SELECTOR, ".phase-steps [aria-current=step]").text == "Bewerbung & Einladung"
    assert [li.text for li in driver.find_elements(By.CSS_SELECTOR, ".phase-steps li.done")] == ["Entwurf"]
    assert driver.find_elements(By.XPATH, "//button[normalize-space()='Weiter zur Phase „Kickoff“']")
    audit = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ul.audit li")]
    assert any(entry.endswith("Dana Demo: Phase geändert – Entwurf → Bewerbung & Einladung") for entry in audit), audit


# --- 2. mentors apply on the public page ---------------------------------------------------------------------

def apply_as(driver, servers, person, start_date):
    """Fill in the public application, send it, confirm through the e-mail. Returns the /applications text."""
    programme_id = need("programme_id")
    driver.delete_all_cookies()
    driver.get(servers.url("/programmes/%s/apply" % programme_id))
    assert h1(driver) == "Bewerbung als Mentor:in – %s" % PROGRAMME
    assert "mindestens 6 Monate im Unternehmen; Teilnahme am Programm „Aspire“" in main_text(driver)
    type_into(driver, "name", person["name"])
    type_into(driver, "email", person["email"])
    type_into(driver, "teamRole", "Data & Analytics, Engineer")
    type_date(driver, "companyStartDate", start_date)
    type_into(driver, "expertiseTopics", "KI, Datenplattformen")
    type_into(driver, "languages", "Deutsch, Englisch")
    type_into(driver, "motivation", "Ich zeige gern, wie wir mit Daten und KI arbeiten.")
    checkbox = driver.find_element(By.ID, "tookPartInTalentProgramme")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=tookPartInTalentProgramme]")
    assert label.text == "Ich habe am Programm „Aspire“ teilgenommen."
    label.click()
    assert checkbox.is_selected()
    summary = driver.find_element(By.CSS_SELECTOR, "details.privacy summary")
    summary.click()
    assert PRIVACY in driver.find_element(By.CSS_SELECTOR, "details.privacy").text
    assert CONTACT in main_text(driver)

    already = len(servers.mails())
    click_and_wait(driver, button(driver, "Bewerbung absenden"))
    assert driver.current_url == servers.url("/programmes/%s/apply/sent" % programme_id)
    assert h1(driver) == "Fast geschafft"
    assert PROGRAMME in main_text(driver)

    mail = servers.wait_for_mail(person["email"], after=already)
    assert mail["subject"] == "Bitte bestätigen Sie Ihre Bewerbung"
    assert PROGRAMME in mail["text"]
    driver.get(link_in_mail(servers, mail, r"/login/[A-Za-z0-9_\-.~%]+(\?next=[A-Za-z0-9_\-.~%]+)?"))
    click_and_wait(driver, WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.ID, "confirm-sign-in"))))
    assert driver.current_url == servers.url("/applications")
    assert h1(driver) == "Meine Bewerbungen"
    card = driver.find_element(By.XPATH, "//main//li[contains(@class,'card')][h2[normalize-space()=%s]]"
                               % xpath_literal(PROGRAMME))
    return card.text


def test_mentors_apply_publicly_and_confirm_by_email(browser, servers):
    today = berlin_today()
    card = apply_as(browser, servers, MENTOR, months_before(today, 26))
    assert "Eingereicht" in card
    assert "Betriebszugehörigkeit" not in card
    STATE["mentor_applied"] = True

    card = apply_as(browser, servers, NEWCOMER, months_before(today, 2))
    assert "Eingereicht" in card
    assert "Betriebszugehörigkeit 2 Monate, mindestens 6 erforderlich" in card
    STATE["newcomer_applied"] = True


# --- 3. the organiser preselects ---------------------------------------------------------------------------

def application_card(driver, email):
    return driver.find_element(By.XPATH, "//ul[contains(@class,'applications')]/li[.//label[contains(., %s)]]"
                               % xpath_literal(email))


def test_organiser_preselects_the_eligible_applicant(organiser, servers):
    need("mentor_applied", "newcomer_applied")
    driver = organiser
    driver.get(programme_url(servers))
    click_and_wait(driver, link(driver, "Bewerbungen"))
    assert driver.current_url == programme_url(servers, "/applications")
    assert h1(driver) == "Bewerbungen"
    assert "2 Bewerbungen" in main_text(driver)
    apply_link = driver.find_element(By.ID, "apply-link")
    assert apply_link.text == apply_link.get_attribute("href") == servers.url("/programmes/%s/apply" % need("programme_id"))
    assert driver.find_element(By.CSS_SELECTOR, ".share-link .qr svg")  # the QR code for the intranet

    mila = application_card(driver, MENTOR["email"])
    assert "Eingereicht" in mila.text and "Voraussetzungen erfüllt" in mila.text
    tom = application_card(driver, NEWCOMER["email"])
    assert "Voraussetzungen nicht erfüllt" in tom.text
    assert [li.text for li in tom.find_elements(By.CSS_SELECTOR, ".findings li")] == \
        ["Betriebszugehörigkeit 2 Monate, mindestens 6 erforderlich"]

    checkbox = mila.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    checkbox.click()
    assert checkbox.is_selected()
    already = len(servers.mails())
    click_and_wait(driver, button(driver, "Vorauswählen"))
    assert driver.current_url == programme_url(servers, "/applications")
    assert flashes(driver) == ["Vorausgewählt: %s. Die Bewerber:innen werden per E-Mail informiert." % MENTOR["name"]]
    assert "Vorausgewählt" in application_card(driver, MENTOR["email"]).text
    assert "Eingereicht" in application_card(driver, NEWCOMER["email"]).text

    mail = servers.wait_for_mail(MENTOR["email"], after=already)
    assert mail["subject"] == "Sie sind für das Speed Networking vorausgewählt"
    assert PROGRAMME in mail["text"]


# --- 4. member list import and invitations -----------------------------------------------------------------

def test_organiser_imports_member_list_and_sends_invitations(organiser, servers):
    driver = organiser
    driver.get(programme_url(servers))
    click_and_wait(driver, link(driver, "Mentees & Einladungen"))
    assert driver.current_url == programme_url(servers, "/members")
    assert h1(driver) == "Mentees & Einladungen"
    assert "Noch keine Einladungen." in main_text(driver)

    driver.find_element(By.ID, "csv").send_keys(MEMBERS_CSV)
    click_and_wait(driver, button(driver, "Vorschau"))
    assert h1(driver) == "Vorschau des Imports"
    assert "2 Einladungen sind bereit." in main_text(driver)
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")]
    assert rows == [["2", ERIKA["name"], ERIKA["email"], ERIKA["company"], ERIKA["position"]],
                    ["3", HANS["name"], HANS["email"], HANS["company"], "Bereichsleiter"]], rows

    already = len(servers.mails())
    click_and_wait(driver, button(driver, "2 Einladungen senden"))
    assert driver.current_url == programme_url(servers, "/members")
    assert flashes(driver) == ["2 Einladungen wurden angelegt und werden versendet."]
    for person in (ERIKA, HANS):
        row = driver.find_element(By.XPATH, "//main//table/tbody/tr[td[normalize-space()=%s]]"
                                  % xpath_literal(person["email"]))
        assert row.find_element(By.CSS_SELECTOR, ".badge").text == "Eingeladen"
        assert person["company"] in row.text

    mail = servers.wait_for_mail(ERIKA["email"], after=already)
    assert mail["subject"] == "Persönliche Einladung zum Reverse Mentoring"
    STATE["invitation_link"] = link_in_mail(servers, mail, r"/invitation/[A-Za-z0-9_\-.~%]+")
    assert servers.wait_for_mail(HANS["email"], after=already)["subject"] == "Persönliche Einladung zum Reverse Mentoring"
    STATE["members_invited"] = True


# --- 5. the invitee registers -------------------------------------------------------------------------------

def test_invitee_registers_with_consent_and_chooses_english(browser, servers):
    invitation = need("invitation_link")
    driver = browser
    driver.delete_all_cookies()
    driver.get(invitation)
    assert h1(driver) == "Registrierung – %s" % PROGRAMME
    assert driver.find_element(By.ID, "company").get_attribute("value") == ERIKA["company"]
    assert driver.find_element(By.ID, "name").get_attribute("value") == ERIKA["name"]
    assert driver.find_element(By.ID, "position").get_attribute("value") == ERIKA["position"]
    assert not driver.find_elements(By.ID, "email"), "a personal invitation should not ask for the address again"
    assert PRIVACY in driver.find_element(By.CSS_SELECTOR, "details.privacy").text
    type_into(driver, "topics", "KI, Social Media")

    click_and_wait(driver, button(driver, "Registrieren"))
    assert driver.current_url == invitation
    error = driver.find_element(By.ID, "consent-error")
    assert error.text == "Ohne Ihre Einwilligung können wir Sie nicht registrieren."
    consent = driver.find_element(By.ID, "consent")
    assert consent.get_attribute("aria-invalid") == "true"
    assert consent.get_attribute("aria-describedby") == "consent-error"
    assert not consent.is_selected()
    summary_links = driver.find_elements(By.CSS_SELECTOR, ".error-summary a")
    assert [a.get_attribute("href").split("#")[1] for a in summary_links] == ["consent"]
    assert driver.find_element(By.ID, "company").get_attribute("value") == ERIKA["company"]
    assert driver.find_element(By.ID, "topics").get_attribute("value") == "KI, Social Media"

    driver.find_element(By.CSS_SELECTOR, "label[for=consent]").click()
    assert consent.is_selected()
    Select(driver.find_element(By.ID, "locale")).select_by_value("en")
    click_and_wait(driver, button(driver, "Registrieren"))
    assert driver.current_url == servers.url("/dashboard")
    # Registered either way; the language is checked softly so the single-use check below still runs.
    # The participant's home: a card per programme with the phase and the next step.
    row = driver.find_element(By.XPATH, "//main//li[contains(@class,'home-card')][h2[normalize-space()=%s]]" % xpath_literal(PROGRAMME))
    language = []
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    if lang != "en":
        language.append("/dashboard right after registering in English: <html lang=%r>, h1 %r, phase %r, flash %r, "
                        "lang cookie %r" % (lang, h1(driver), row.find_element(By.CLASS_NAME, "home-card-role").text,
                                            flashes(driver), driver.get_cookie("lang")))
    else:
        assert h1(driver) == "Hello %s" % ERIKA["name"]
        assert flashes(driver) == ["You are registered for “%s”." % PROGRAMME]
        assert "Intake" in row.text, row.text
    driver.get(servers.url("/account"))
    saved = Select(driver.find_element(By.ID, "locale")).first_selected_option.get_attribute("value")
    assert saved == "en", "the registration did not store English as the account language"
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    if lang != "en":
        language.append("/account (language setting shows %r): <html lang=%r>" % (saved, lang))

    # The link is single use: signed in and as a stranger (German).
    driver.get(invitation)
    assert h1(driver) in ("Invitation link cannot be used", "Einladungslink nicht nutzbar")
    assert "already been used" in main_text(driver) or "bereits registriert" in main_text(driver)
    driver.delete_all_cookies()
    driver.get(invitation)
    assert h1(driver) == "Einladungslink nicht nutzbar"
    assert "bereits registriert" in main_text(driver)
    assert CONTACT in main_text(driver)

    assert not language, "English was chosen on the registration form, but pages are not in English:\n" + \
        "\n".join(language)


# --- 6. QR codes ----------------------------------------------------------------------------------------------

def test_qr_codes_decode_to_the_links_printed_next_to_them(organiser, servers, tmp_path):
    driver = organiser
    driver.get(programme_url(servers, "/members"))
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=join-heading]")
    shown = section.find_element(By.TAG_NAME, "code").text
    assert re.fullmatch(re.escape(servers.url("/join/")) + r"\S+", shown), shown
    qr = section.find_element(By.CSS_SELECTOR, ".qr svg")
    assert qr.accessible_name == "QR-Code des programmweiten Anmeldelinks"
    assert decode_qr(qr, tmp_path / "join.png") == shown
    STATE["join_link"] = shown

    # A printed invitation (Hans: Erika's link is used already). The print page opens in a new tab.
    need("members_invited")
    row = driver.find_element(By.XPATH, "//main//table/tbody/tr[td[normalize-space()=%s]]" % xpath_literal(HANS["email"]))
    before = set(driver.window_handles)
    button(driver, "Drucken", scope=row).click()
    WebDriverWait(driver, 10).until(lambda d: len(d.window_handles) > len(before))
    tab = (set(driver.window_handles) - before).pop()
    driver.switch_to.window(tab)
    # The tab starts as about:blank and then loads the print page: wait for that document, fully loaded.
    wait_until(driver, lambda d: d.current_url.startswith(servers.base_url) and d.execute_script(
        "return document.readyState === 'complete'") and d.find_elements(By.CSS_SELECTOR, ".invitation-print .qr svg"))
    assert h1(driver) == "Einladung: %s" % PROGRAMME
    assert "Guten Tag %s," % HANS["name"] in main_text(driver)
    printed = driver.find_element(By.CSS_SELECTOR, ".invitation-print code").text
    assert re.fullmatch(re.escape(servers.url("/invitation/")) + r"[A-Za-z0-9_\-.~%]+", printed), printed
    qr = driver.find_element(By.CSS_SELECTOR, ".invitation-print .qr svg")
    assert decode_qr(qr, tmp_path / "invitation.png") == printed
    STATE["printed_link"] = printed

    driver.get(printed)
    assert h1(driver) == "Registrierung – %s" % PROGRAMME
    assert driver.find_element(By.ID, "company").get_attribute("value") == HANS["company"]
    assert driver.find_element(By.ID, "name").get_attribute("value") == HANS["name"]

    driver.get(STATE["join_link"])
    assert h1(driver) == "Registrierung – %s" % PROGRAMME
    assert driver.find_element(By.ID, "email").get_attribute("value") == ""


# --- 7. axe-core and phone width on every intake page --------------------------------------------------------

@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_intake_pages_have_no_serious_axe_violations_and_fit_the_width(organiser, another_browser, servers, viewport):
    programme_id = need("programme_id")
    problems, report = [], []

    def check(driver, name):
        violations = run_axe(driver)
        report.append("%s: %s" % (name, ", ".join("%s(%s)" % (v["id"], v["impact"]) for v in violations) or "clean"))
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            problems.append("%s [%s] at %dx%d:\n%s" % (name, driver.current_url, viewport[0], viewport[1],
                                                      describe(serious)))
        overflow = horizontal_overflow(driver)
        if overflow:
            problems.append("%s [%s] scrolls sideways at %d px: %s" % (name, driver.current_url, viewport[0], overflow))

    driver = organiser
    set_viewport(driver, *viewport)
    driver.get(servers.url("/organiser/programmes/new"))
    check(driver, "programme form")
    type_into(driver, "durationMonths", "13")
    click_and_wait(driver, button(driver, "Speichern"))
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    check(driver, "programme form with errors")
    driver.get(programme_url(servers))
    check(driver, "programme page")
    driver.get(programme_url(servers, "/applications"))
    check(driver, "applications queue")
    driver.get(programme_url(servers, "/members"))
    check(driver, "members page")
    driver.find_element(By.ID, "csv").send_keys(
        'name,email,company,position\nPia Probe,pia.probe@mitglied.example,"Probe, Lauf & Partner",Geschäftsführerin\n')
    click_and_wait(driver, button(driver, "Vorschau"))
    assert "1 Einladung ist bereit." in main_text(driver)  # a preview only; nothing is saved
    check(driver, "import preview")
    driver.get(programme_url(servers, "/members"))
    driver.find_element(By.ID, "csv").send_keys(MEMBERS_CSV + 'Ohne Adresse,,"offen\n')
    click_and_wait(driver, button(driver, "Vorschau"))
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary")
    check(driver, "import preview with problems")

    visitor = another_browser()  # the public pages, as someone without an account
    set_viewport(visitor, *viewport)
    visitor.get(servers.url("/programmes/%s/apply" % programme_id))
    check(visitor, "public apply form")
    click_and_wait(visitor, button(visitor, "Bewerbung absenden"))
    assert visitor.find_elements(By.CSS_SELECTOR, ".error-summary")
    check(visitor, "public apply form with errors")
    registration = STATE.get("printed_link")
    if registration:
        visitor.get(registration)
        check(visitor, "registration form (personal invitation)")
        click_and_wait(visitor, button(visitor, "Registrieren"))  # without consent: nothing is used up
        assert visitor.find_elements(By.ID, "consent-error")
        check(visitor, "registration form with errors")
    else:
        report.append("registration form (personal invitation): not checked, the QR test left no printed link")
    join = STATE.get("join_link")
    if join:
        visitor.get(join)
        check(visitor, "registration form (programme-wide link)")

    print("\n".join(report))
    assert not problems, "intake pages at %dx%d:\n\n" % viewport + "\n\n".join(problems)
