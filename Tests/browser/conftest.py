"""Fixtures for the browser tests: a real SMTP server, the built app on free ports, headless Chromium.

The app runs from the binary in $MENTORING_BIN (default .build/debug/mentoring; nothing is built here) with a
fresh SQLite file, so it seeds the demo programme. Mail leaves through the outbox worker over SMTP
(STARTTLS + AUTH) to Tests/support/smtp_server.py, which writes each message as <n>.json; tests read the
sign-in link from there, as a person would from their inbox. When a test fails, the tails of both server
logs are attached to its report.
"""

import contextlib
import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parents[2]
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SMTP_USER = "mailer"
SMTP_PASSWORD = "browser-test secret"
DEMO_ORGANISER = "organisation@demo.example"

os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to download a driver

_logs = {}  # name -> log file path, for failure reports


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path, lines=120):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as error:
        return "(no log: %s)" % error


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for name, path in _logs.items():
            report.sections.append((name + " log (tail)", _tail(path)))


class Servers:
    def __init__(self, base_url, maildir, app_log, smtp_log):
        self.base_url = base_url
        self.maildir = maildir
        self.app_log = app_log
        self.smtp_log = smtp_log

    def url(self, path):
        return self.base_url + path

    def mails(self):
        """All messages received so far, oldest first."""
        paths = sorted(glob.glob(os.path.join(self.maildir, "*.json")),
                       key=lambda p: int(os.path.basename(p)[:-5]))
        result = []
        for path in paths:
            with open(path, encoding="utf-8") as f:
                result.append(json.load(f))
        return result

    def wait_for_mail(self, recipient, after, timeout=20):
        """The first message to `recipient` beyond the first `after` messages (outbox polls every second)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for mail in self.mails()[after:]:
                if recipient in mail["rcpt_tos"]:
                    return mail
            time.sleep(0.2)
        raise AssertionError("no mail to %s within %ss; received: %r"
                             % (recipient, timeout, [(m["rcpt_tos"], m["subject"]) for m in self.mails()]))


@contextlib.contextmanager
def run_servers(work):
    """Starts an SMTP test server and the app (fresh SQLite in `work`, so with the demo programme); yields Servers.

    The session's `servers` fixture uses it; a module that needs a fresh demo of its own (e.g. a kickoff nobody has
    started yet, or hundreds of e-mails that would delay other tests' sign-in mails) overrides `servers` with a
    module-scoped fixture around it. Failure reports show the logs of the servers running at the time."""
    maildir = work / "mail"
    previous_logs = dict(_logs)
    smtp_log = work / "smtp.log"
    app_log = work / "app.log"
    processes = []
    try:
        # SMTP server first: the app's outbox worker needs somewhere to deliver to.
        with open(smtp_log, "w") as log:
            smtp = subprocess.Popen(
                [sys.executable, str(REPO / "Tests/support/smtp_server.py"), "--port", "0",
                 "--maildir", str(maildir), "--user", SMTP_USER, "--password", SMTP_PASSWORD],
                stdout=log, stderr=subprocess.STDOUT)
        processes.append(smtp)
        _logs["smtp server"] = smtp_log
        smtp_port = None
        deadline = time.monotonic() + 30
        while smtp_port is None and time.monotonic() < deadline and smtp.poll() is None:
            match = re.search(r"^READY (\d+)$", smtp_log.read_text(), re.M)
            if match:
                smtp_port = int(match.group(1))
            else:
                time.sleep(0.1)
        if smtp_port is None:
            pytest.fail("SMTP test server did not start:\n" + _tail(smtp_log), pytrace=False)

        binary = Path(os.environ.get("MENTORING_BIN", REPO / ".build/debug/mentoring"))
        if not binary.is_absolute():
            binary = REPO / binary
        if not os.access(binary, os.X_OK):
            pytest.fail("no app binary at %s (run `swift build` or set MENTORING_BIN)" % binary, pytrace=False)
        port = _free_port()
        base_url = "http://127.0.0.1:%d" % port
        env = dict(os.environ,
                   SQLITE_PATH=str(work / "mentoring.sqlite"),
                   BASE_URL=base_url,
                   APP_DIRECTORY=str(REPO) + "/",
                   MAIL_TRANSPORT="smtp",
                   SMTP_HOST="127.0.0.1",
                   SMTP_PORT=str(smtp_port),
                   SMTP_SECURITY="starttls",
                   SMTP_USERNAME=SMTP_USER,
                   SMTP_PASSWORD=SMTP_PASSWORD,
                   SMTP_INSECURE_TLS="true",  # the test server's certificate is self-signed
                   OUTBOX_POLL_SECONDS="1",
                   # Each test signs the demo organiser in again (more than the 5 links an hour a person
                   # gets); the limits themselves are tested in Tests/AppTests/RateLimitTests.swift.
                   RATE_LIMITS="off")
        env.pop("DATABASE_URL", None)  # SQLite, whatever the calling shell has
        with open(app_log, "w") as log:
            app = subprocess.Popen([str(binary), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                                   cwd=str(work), env=env, stdout=log, stderr=subprocess.STDOUT)
        processes.append(app)
        _logs["app"] = app_log
        deadline = time.monotonic() + 60
        ready = False
        while not ready and time.monotonic() < deadline and app.poll() is None:
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                    ready = response.status == 200 and response.read().strip() == b"ok"
            except OSError:
                time.sleep(0.2)
        if not ready:
            pytest.fail("app did not become healthy at %s/healthz (exit code %s):\n%s"
                        % (base_url, app.poll(), _tail(app_log)), pytrace=False)

        yield Servers(base_url, str(maildir), app_log, smtp_log)
    finally:
        for process in reversed(processes):
            _stop(process)
        _logs.clear()
        _logs.update(previous_logs)


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    with run_servers(tmp_path_factory.mktemp("servers")) as running:
        yield running


def new_driver(width=1280, height=900, extra_arguments=()):
    """A fresh headless Chromium: own profile, no cookies, German as the browser's language.

    `extra_arguments` are further command-line flags (e.g. FAKE_MEDIA for WebRTC tests)."""
    options = webdriver.ChromeOptions()
    if os.path.exists(CHROMIUM):
        options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=%d,%d" % (width, height),
                     "--lang=de-DE", "--disable-gpu", "--hide-scrollbars", *extra_arguments):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "de-DE,de"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser():
    """A fresh headless Chromium (own profile, no cookies) per test, 1280×900 unless a test resizes it."""
    driver = new_driver()
    try:
        yield driver
    finally:
        driver.quit()


# A camera and microphone without asking (fake devices: a test pattern and a beep), and WebRTC over loopback
# (Chromium otherwise gathers no ICE candidates when lo is the only interface, as in a network namespace).
FAKE_MEDIA = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              "--allow-loopback-in-peer-connection")


@pytest.fixture
def another_browser():
    """Call it for more browsers in one test (another person at another computer); all quit afterwards.

    Keyword arguments go to new_driver, e.g. make(extra_arguments=FAKE_MEDIA)."""
    drivers = []

    def make(**options):
        drivers.append(new_driver(**options))
        return drivers[-1]
    try:
        yield make
    finally:
        for driver in drivers:
            driver.quit()


# --- waiting for pages: a command that lands while one document replaces another --------------------------

# What chromedriver answers when a command reaches a document that a navigation is replacing at that moment
# (e.g. "unknown error: unhandled inspector error: {...Node with given id does not belong to the document}" from
# an element of the old page). It means "not there yet"; Selenium's own waits (EC.staleness_of) only expect
# StaleElementReferenceException and fail on it.
_BETWEEN_DOCUMENTS = ("does not belong to the document", "No node with given id found", "Cannot find context with specified id",
                      "Execution context was destroyed", "Inspected target navigated or closed", "target frame detached")


def between_documents(error):
    return isinstance(error, StaleElementReferenceException) or any(
        text in (error.msg or "") for text in _BETWEEN_DOCUMENTS)


def wait_until(driver, condition, timeout=15, message=""):
    """WebDriverWait.until, which also keeps waiting through the errors of a navigation in progress."""
    def attempt(d):
        try:
            return condition(d)
        except WebDriverException as error:
            if between_documents(error):
                return False
            raise
    return WebDriverWait(driver, timeout).until(attempt, message)


def mark_page(driver):
    """Tags the current document (its window object); `wait_for_new_page` waits for a different one."""
    token = uuid.uuid4().hex
    driver.execute_script("window.__browserTestPage = arguments[0]", token)
    return token


def wait_for_new_page(driver, token, timeout=15):
    """Until a new document (not the one tagged with `token`) has replaced it and finished loading.

    After a form POST answered with a redirect that is the redirect's target: the 303 itself never becomes a
    document. Elements found before are gone; find them again."""
    wait_until(driver, lambda d: d.execute_script(
        "return window.__browserTestPage !== arguments[0] && document.readyState === 'complete'", token),
        timeout, "no new page finished loading within %ss" % timeout)


def click_and_wait(driver, element, timeout=15):
    """Click something that loads a new page (link, submit button), and wait until that page has loaded."""
    token = mark_page(driver)
    element.click()
    wait_for_new_page(driver, token, timeout)


def sign_in_by_email(driver, servers, address=DEMO_ORGANISER):
    """Ask for a sign-in link on /login, open it from the delivered mail, confirm. Returns the mail."""
    already = len(servers.mails())
    driver.get(servers.url("/login"))
    field = driver.find_element(By.ID, "email")
    field.clear()
    field.send_keys(address)
    click_and_wait(driver, field.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
    assert driver.current_url == servers.url("/login/sent")

    mail = servers.wait_for_mail(address, after=already)
    match = re.search(re.escape(servers.base_url) + r"/login/[A-Za-z0-9_\-.~%]+", mail["text"] or "")
    assert match, "no sign-in link in the mail text:\n%s" % mail["text"]
    driver.get(match.group(0))
    click_and_wait(driver, WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.ID, "confirm-sign-in"))))
    assert driver.current_url == servers.url("/dashboard")
    return mail


@pytest.fixture
def organiser(browser, servers):
    """A browser signed in as the demo organiser (through the e-mail, like a person)."""
    sign_in_by_email(browser, servers)
    return browser


# --- shared checks: axe-core, viewport, horizontal overflow ---------------------------------------------------

PHONE = (390, 844)
DESKTOP = (1280, 900)


def set_viewport(driver, width, height, scale=1):
    """Make the layout viewport exactly width×height (the window size would include browser chrome).

    Not "mobile" emulation: that zooms out a page wider than the screen, so innerWidth would grow with the
    overflow instead of showing it."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})


def _axe_source():
    import axe_playwright_python
    path = os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")
    if not os.path.exists(path):
        found = glob.glob(os.path.join(os.path.dirname(axe_playwright_python.__file__), "**", "axe*.js"),
                          recursive=True)
        assert found, "axe.min.js not found in axe-playwright-python"
        path = found[0]
    with open(path, encoding="utf-8") as f:
        return f.read()


_AXE = []


def run_axe(driver):
    """axe-core's violations on the current page (all rules, all impacts)."""
    if not _AXE:
        _AXE.append(_axe_source())
    driver.execute_script(_AXE[0])
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        "  .then(r => done(JSON.stringify({violations: r.violations, version: axe.version})))"
        "  .catch(e => done(JSON.stringify({error: String(e)})));")
    result = json.loads(result)
    assert "error" not in result, result
    return result["violations"]


def describe(violations):
    lines = []
    for v in violations:
        lines.append("%s [%s] %s (%s)" % (v["id"], v["impact"], v["help"], v["helpUrl"]))
        for node in v["nodes"][:8]:
            lines.append("    %s: %s" % (" ".join(map(str, node["target"])), node.get("failureSummary", "").replace("\n", " ")))
    return "\n".join(lines)


def horizontal_overflow(driver):
    """None if the page does not scroll sideways; else a description naming the elements that stick out."""
    size = driver.execute_script("return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth}")
    if size["scroll"] <= size["inner"]:
        return None
    # The deepest elements reaching past the right edge (absolutely positioned ones first: they escape a scroll
    # container that is not their containing block).
    wide = driver.execute_script(
        "const w = window.innerWidth;"
        "const over = e => e.getBoundingClientRect().right > w + 0.5;"
        "const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
        "  + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');"
        "const pos = e => getComputedStyle(e).position;"
        "return Array.from(document.querySelectorAll('body *'))"
        "  .filter(e => over(e) && !Array.from(e.children).some(over))"
        "  .sort((a, b) => (pos(b) === 'absolute') - (pos(a) === 'absolute'))"
        "  .slice(0, 4).map(e => name(e) + (pos(e) === 'static' ? '' : ' (' + pos(e) + ')')"
        "    + ' in ' + name(e.parentElement) + ' right=' + Math.round(e.getBoundingClientRect().right))")
    return "scrollWidth %s > %s; widest: %s" % (size["scroll"], size["inner"], wide)


# --- reading the page (shared by the test modules) ----------------------------------------------------------------

def xpath_literal(text):
    """A string as an XPath literal, also when it holds both kinds of quote."""
    if "'" not in text:
        return "'%s'" % text
    if '"' not in text:
        return '"%s"' % text
    return "concat(%s)" % ", \"'\", ".join("'%s'" % part for part in text.split("'"))


def main_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def h1(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def link(driver, text):
    return driver.find_element(By.XPATH, "//main//a[normalize-space()=%s]" % xpath_literal(text))


def flashes(driver, kind="success"):
    return [f.text for f in driver.find_elements(By.CSS_SELECTOR, ".flash-" + kind)]
