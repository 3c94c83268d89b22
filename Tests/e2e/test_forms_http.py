"""The forms with realistic and maximal sizes, by plain HTTP against the real binary (no browser).

A longer form arrives at the server in several pieces; the CSRF check once read the form before all of it was
there and refused it ("Kein Zugriff", 403). Here every form is sent the way different clients send it: urlencoded
with `_csrf` first, in the middle and last; multipart/form-data (the member-list upload) with `_csrf` before and
after the file part; `Transfer-Encoding: chunked` and a plain `Content-Length` body, both sent in pieces with
small pauses in between (so the server's first read never has the whole form). Each must succeed (200/303),
and a form without `_csrf` (or with a wrong one) must still get 403.

The app starts once for the module: a fresh SQLite file (so the demo programme and its organiser exist),
`MAIL_TRANSPORT=log` (sign-in links are read from the log, as in development), `RATE_LIMITS=off`.

Run: .venv/bin/pytest Tests/e2e/test_forms_http.py (uses $MENTORING_BIN, else .build/debug/mentoring; skipped
when neither exists).
"""
import sys
import datetime
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from realistic_text import german_text  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("MENTORING_BIN") or str(REPO / ".build/debug/mentoring")
pytestmark = pytest.mark.skipif(not os.access(BIN, os.X_OK), reason="no app binary at %s (swift build)" % BIN)

ORGANISER = "organisation@demo.example"
MOTIVATION_LIMIT = 2000      # MentorApplicationDraft.motivationLimit, "höchstens 2000 Zeichen" on the form
NAME_LIMIT = 120             # application name and programme name (ProgrammeSettings.nameLength)
MEMBERS = 300                # the largest member list the issue names
PRIVACY = "Wir verarbeiten Ihre Angaben nur für dieses Programm (Testhinweis)."  # required
IMPORT_BODY_LIMIT = 2 * 1024 * 1024  # the member-list routes collect up to 2 MB


# --- realistic German text -------------------------------------------------------------------------------------

# german_text: Tests/support/realistic_text.py (shared with the other suite).


def as_browser_sends(text):
    """A textarea's line breaks go over the wire as CRLF (one character each for the server, like for the reader)."""
    return text.replace("\n", "\r\n")


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
    """name,email,company,position with `count` people; companies and positions with commas or quotes in quotes."""
    lines = ["name,email,company,position"]
    for i in range(count):
        first, last = _FIRST[i % len(_FIRST)], _LAST[(i * 7) % len(_LAST)]
        lines.append("%s %s,person%03d.%s@mitglied.example,%s,%s" % (
            first, last, i + 1, tag, _COMPANY[i % len(_COMPANY)], _POSITION[(i * 3) % len(_POSITION)]))
    return line_end.join(lines) + line_end


# --- the server --------------------------------------------------------------------------------------------------

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    def __init__(self, port, log_path):
        self.port = port
        self.base_url = "http://127.0.0.1:%d" % port
        self.log_path = log_path

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    work = tmp_path_factory.mktemp("forms-http")
    port = _free_port()
    log_path = work / "app.log"
    env = dict(os.environ, SQLITE_PATH=str(work / "forms.sqlite"), APP_DIRECTORY=str(REPO) + "/",
               BASE_URL="http://127.0.0.1:%d" % port, MAIL_TRANSPORT="log", RATE_LIMITS="off",
               OUTBOX_POLL_SECONDS="1", LOG_LEVEL="notice")
    env.pop("DATABASE_URL", None)
    with open(log_path, "w") as log:
        process = subprocess.Popen([BIN, "serve", "--hostname", "127.0.0.1", "--port", str(port)], cwd=str(work),
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail("app exited with %s:\n%s" % (process.returncode, log_path.read_text()[-4000:]), pytrace=False)
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("app not healthy within 90 s:\n" + log_path.read_text()[-4000:], pytrace=False)
            time.sleep(0.2)
        _RUNNING[:] = [App(port, log_path)]
        yield _RUNNING[0]
    finally:
        _RUNNING.clear()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- a small HTTP client with a cookie jar ---------------------------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", errors="replace")

    @property
    def location(self):
        return self.headers.get("location", "")

    def describe(self):
        title = re.search(r"<h1[^>]*>(.*?)</h1>", self.text, re.S)
        return "HTTP %d, h1 %r, location %r" % (self.status, html.unescape(title.group(1)).strip() if title else None,
                                                  self.location)


class Client:
    """One visitor: a cookie jar (the session cookie) and plain http.client connections."""

    def __init__(self, app):
        self.app = app
        self.cookies = {}

    def _headers(self, extra):
        headers = {"Accept-Language": "de-DE,de;q=0.9", "User-Agent": "forms-http-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % item for item in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _finish(self, connection):
        response = connection.getresponse()
        body = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val and "max-age=0" not in value.lower():
                    self.cookies[key.strip()] = val.strip()
                else:
                    self.cookies.pop(key.strip(), None)
        headers = {name.lower(): value for name, value in response.getheaders()}
        connection.close()
        return Response(response.status, headers, body)

    def get(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.app.port, timeout=60)
        connection.request("GET", path, headers=self._headers(None))
        return self._finish(connection)

    def post(self, path, body, content_type, pieces=1, pause=0.0, chunked=False):
        """POST `body` (bytes). With pieces > 1 it is written in that many parts with `pause` seconds between
        them, as a `Content-Length` body or (chunked=True) as `Transfer-Encoding: chunked` chunks."""
        connection = http.client.HTTPConnection("127.0.0.1", self.app.port, timeout=60)
        connection.putrequest("POST", path, skip_accept_encoding=True)
        headers = self._headers({"Content-Type": content_type})
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        size = max(1, -(-len(body) // pieces))
        parts = [body[i:i + size] for i in range(0, len(body), size)] or [b""]
        try:
            for index, part in enumerate(parts):
                if index:
                    time.sleep(pause)
                if chunked:
                    connection.send(b"%x\r\n" % len(part) + part + b"\r\n")
                else:
                    connection.send(part)
            if chunked:
                time.sleep(pause)
                connection.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early (e.g. 413) and closed; its answer is still there to read
        return self._finish(connection)

    def post_form(self, path, fields, **options):
        """urlencoded, fields in the given order (a list of pairs)."""
        body = urllib.parse.urlencode(fields).encode("ascii")
        return self.post(path, body, "application/x-www-form-urlencoded", **options)

    def post_multipart(self, path, parts, **options):
        """parts: (name, value) or (name, (filename, content_type, bytes)), in the given order."""
        boundary = "----formshttp" + uuid.uuid4().hex
        chunks = []
        for name, value in parts:
            chunks.append(("--%s\r\n" % boundary).encode())
            if isinstance(value, tuple):
                filename, content_type, data = value
                chunks.append(('Content-Disposition: form-data; name="%s"; filename="%s"\r\n'
                               'Content-Type: %s\r\n\r\n' % (name, filename, content_type)).encode())
                chunks.append(data)
            else:
                chunks.append(('Content-Disposition: form-data; name="%s"\r\n\r\n' % name).encode())
                chunks.append(value.encode("utf-8"))
            chunks.append(b"\r\n")
        chunks.append(("--%s--\r\n" % boundary).encode())
        return self.post(path, b"".join(chunks), "multipart/form-data; boundary=%s" % boundary, **options)


def csrf_of(response):
    match = re.search(r'name="_csrf" value="([^"]+)"', response.text)
    assert match, "no _csrf field on the page (%s)" % response.describe()
    return match.group(1)


def with_csrf(fields, token, where):
    """The form's fields with `_csrf` first, last or in the middle."""
    fields = list(fields)
    pair = ("_csrf", token)
    if where == "first":
        return [pair] + fields
    if where == "last":
        return fields + [pair]
    middle = len(fields) // 2
    return fields[:middle] + [pair] + fields[middle:]


_RUNNING = []  # the App of the module, for failure messages


def server_errors():
    """The app log's error and warning lines so far (e-mails left out), for failure messages."""
    if not _RUNNING:
        return ""
    lines = [line for line in _RUNNING[0].log().splitlines()
             if ("ERROR" in line or "WARNING" in line or "CRITICAL" in line) and "E-mail (not sent" not in line]
    return "\n".join(line[:600] for line in lines[-15:])


def accepted(response, statuses=(200, 303)):
    assert response.status in statuses, "refused: %s\n%s\napp log errors:\n%s" % (
        response.describe(), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[-800:], server_errors())
    return response


def refused_as_csrf(response):
    assert response.status == 403, "expected the CSRF 403, got %s" % response.describe()
    assert "Kein Zugriff" in response.text, response.text[:800]


def element_text(page, pattern):
    """The HTML-unescaped text of the first match of `pattern` (one group) in the page."""
    match = re.search(pattern, page, re.S)
    assert match, "not on the page: %s" % pattern
    return html.unescape(match.group(1))


# --- the organiser's session -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def organiser(app):
    """Signs in the demo organiser by HTTP: /login form → link from the log (MAIL_TRANSPORT=log) → confirm."""
    client = Client(app)
    form = accepted(client.get("/login"))
    before = len(app.log())
    accepted(client.post_form("/login", with_csrf([("email", ORGANISER), ("next", "")], csrf_of(form), "last")), (303,))
    link = None
    deadline = time.monotonic() + 30
    while link is None and time.monotonic() < deadline:
        found = re.findall(re.escape(app.base_url) + r"(/login/[A-Za-z0-9_\-]{20,})", app.log()[before:])
        link = found[-1] if found else None
        if link is None:
            time.sleep(0.3)
    assert link, "no sign-in link in the log:\n" + app.log()[-3000:]
    confirm = accepted(client.get(link))
    signed_in = accepted(client.post_form(link, [("_csrf", csrf_of(confirm)), ("next", "")]), (303,))
    assert signed_in.location.endswith("/dashboard"), signed_in.describe()
    dashboard = accepted(client.get("/dashboard"), (200,))
    assert "Dana Demo" in dashboard.text
    return client


def demo_programme_id(client):
    dashboard = accepted(client.get("/dashboard"), (200,))
    match = re.search(r'href="/organiser/programmes/([0-9A-Fa-f-]{36})"[^>]*>\s*Reverse Mentoring 2027', dashboard.text)
    assert match, "the demo programme is not linked on the dashboard"
    return match.group(1)


def programme_fields(name, description, privacy, **overrides):
    fields = dict(
        name=name, description=description, focusTopics="KI, Social Media, Datenplattformen, Digitaler Arbeitsplatz",
        contacts="Heike Beispiel <heike@institut.example>\r\nJörg Groß, joerg.gross@institut.example",
        patronText="Schirmherrschaft: Dr. Käthe Weiß, Präsidentin der Industrie- und Handelskammer",
        kickoffAt=(datetime.date.today() + datetime.timedelta(days=120)).isoformat() + "T17:30", roundsAtKickoff="8", minutesPerRound="5", shortlistSize="3",
        durationMonths="9", requiredTalentProgramme="Aspire", minimumTenureMonths="6", applicationDeadline="",
        privacyNotice=privacy)
    fields.update(overrides)
    return list(fields.items())


def create_programme(client, name, description, privacy, where="first", **post_options):
    form = accepted(client.get("/organiser/programmes/new"), (200,))
    response = accepted(client.post_form(
        "/organiser/programmes", with_csrf(programme_fields(name, description, privacy), csrf_of(form), where),
        **post_options), (303,))
    match = re.fullmatch(r"/organiser/programmes/([0-9A-Fa-f-]{36})", response.location)
    assert match, response.describe()
    return match.group(1)


# --- 1. the programme settings form ------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_programme_with_long_description_and_privacy_notice(organiser, where):
    description = german_text(5000)
    privacy = german_text(3000, paragraph_every=2)
    name = ("Reverse Mentoring Südwestfälische Industrie- und Handelskammer %s " % where).ljust(NAME_LIMIT, "ß")
    assert len(name) == NAME_LIMIT
    # A browser sends the textareas' line breaks as CRLF.
    programme_id = create_programme(organiser, name, as_browser_sends(description), as_browser_sends(privacy), where)

    page = accepted(organiser.get("/organiser/programmes/%s" % programme_id), (200,))
    assert element_text(page.text, r"<h1>(.*?)</h1>") == name
    shown = element_text(page.text, r'<p class="lead">(.*?)</p>')
    assert shown.replace("\r\n", "\n") == description, "description changed on the way"
    assert "<script>alert" not in page.text, "not escaped"

    edit = accepted(organiser.get("/organiser/programmes/%s/edit" % programme_id), (200,))
    kept = element_text(edit.text, r'<textarea id="privacyNotice"[^>]*>(.*?)</textarea>')
    assert kept.replace("\r\n", "\n") == privacy
    assert element_text(edit.text, r'<textarea id="description"[^>]*>(.*?)</textarea>').replace("\r\n", "\n") == description


def test_settings_update_sent_in_pieces_chunked_and_with_content_length(organiser):
    programme_id = create_programme(organiser, "Reverse Mentoring Stückwerk", "kurz", "kurz")
    for round_, options in enumerate([dict(chunked=True, pieces=12, pause=0.05), dict(pieces=12, pause=0.05)]):
        description = german_text(10000 - round_)  # the largest description a person would write, and then some
        privacy = german_text(4000 + round_, paragraph_every=2)
        edit = accepted(organiser.get("/organiser/programmes/%s/edit" % programme_id), (200,))
        fields = with_csrf(programme_fields("Reverse Mentoring Stückwerk", as_browser_sends(description),
                                            as_browser_sends(privacy)), csrf_of(edit), "last")
        response = accepted(organiser.post_form("/organiser/programmes/%s" % programme_id, fields, **options), (303,))
        assert response.location == "/organiser/programmes/%s" % programme_id, response.describe()
        page = accepted(organiser.get(response.location), (200,))
        assert element_text(page.text, r'<p class="lead">(.*?)</p>').replace("\r\n", "\n") == description, options
        edit = accepted(organiser.get("/organiser/programmes/%s/edit" % programme_id), (200,))
        kept = element_text(edit.text, r'<textarea id="privacyNotice"[^>]*>(.*?)</textarea>')
        assert kept.replace("\r\n", "\n") == privacy, options


# --- 2. the public mentor application ----------------------------------------------------------------------------

def application_fields(email, motivation, name="Änne Weiß-Öztürk"):
    return [("name", name), ("email", email), ("teamRole", "Data & Analytics, Werkstudentin → Engineer"),
            ("companyStartDate", "2022-09-01"), ("tookPartInTalentProgramme", "on"),
            ("expertiseTopics", "KI, Social Media, Datenplattformen, Low-Code"), ("languages", "Deutsch, Englisch, Türkisch"),
            ("motivation", as_browser_sends(motivation))]


def to_intake(organiser, programme_id):
    """Moves a new programme on to intake, the phase in which applications and invitations are open."""
    page = accepted(organiser.get("/organiser/programmes/%s" % programme_id), (200,))
    accepted(organiser.post_form("/organiser/programmes/%s/phase" % programme_id,
                                 [("_csrf", csrf_of(page)), ("to", "intake")]), (303,))
    return programme_id


@pytest.fixture(scope="module")
def open_programme(organiser):
    """A programme in intake (its long privacy notice is on the public form too)."""
    return to_intake(organiser, create_programme(organiser, "Reverse Mentoring Bewerbungen 2028",
                                                 as_browser_sends(german_text(3000)), as_browser_sends(german_text(2500))))


def review_motivation(organiser, programme_id, email):
    queue = accepted(organiser.get("/organiser/programmes/%s/applications?q=%s" % (
        programme_id, urllib.parse.quote(email))), (200,))
    cards = [card for card in queue.text.split('<li class="card">')[1:] if html.escape(email) in card]
    assert len(cards) == 1, "%d applications of %s in the review queue" % (len(cards), email)
    return element_text(cards[0], r"<details><summary>[^<]*</summary><p>(.*?)</p></details>").replace("\r\n", "\n")


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("length", [600, MOTIVATION_LIMIT], ids=["realistic", "maximum"])
def test_application_with_long_motivation(app, organiser, open_programme, where, length):
    visitor = Client(app)
    form = accepted(visitor.get("/programmes/%s/apply" % open_programme), (200,))
    motivation = german_text(length)
    email = "bewerbung.%s.%d@talente.example" % (where, length)
    name = "Änne Weiß-Öztürk".ljust(NAME_LIMIT, "ä") if length == MOTIVATION_LIMIT else "Änne Weiß-Öztürk"
    response = accepted(visitor.post_form("/programmes/%s/apply" % open_programme,
                                          with_csrf(application_fields(email, motivation, name), csrf_of(form), where)),
                        (303,))
    assert response.location == "/programmes/%s/apply/sent" % open_programme, response.describe()
    assert review_motivation(organiser, open_programme, email) == motivation


def test_application_over_the_limit_is_a_form_error_not_a_csrf_failure(app, open_programme):
    visitor = Client(app)
    form = accepted(visitor.get("/programmes/%s/apply" % open_programme), (200,))
    response = visitor.post_form("/programmes/%s/apply" % open_programme, with_csrf(
        application_fields("zu.lang@talente.example", german_text(MOTIVATION_LIMIT + 1)), csrf_of(form), "first"))
    assert response.status == 422, response.describe()
    assert "höchstens 2000" in response.text or "2000" in element_text(response.text, r'id="motivation-error">(.*?)</p>')
    # What was typed comes back in the form.
    kept = element_text(response.text, r'<textarea id="motivation"[^>]*>(.*?)</textarea>')
    assert kept.replace("\r\n", "\n") == german_text(MOTIVATION_LIMIT + 1)


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_application_arriving_in_pieces(app, organiser, open_programme, chunked):
    visitor = Client(app)
    form = accepted(visitor.get("/programmes/%s/apply" % open_programme), (200,))
    motivation = german_text(MOTIVATION_LIMIT)
    email = "stueckweise.%s@talente.example" % ("chunked" if chunked else "length")
    response = accepted(visitor.post_form(
        "/programmes/%s/apply" % open_programme, with_csrf(application_fields(email, motivation), csrf_of(form), "last"),
        pieces=10, pause=0.05, chunked=chunked), (303,))
    assert response.location.endswith("/apply/sent"), response.describe()
    assert review_motivation(organiser, open_programme, email) == motivation


# --- 2b. registration through the programme-wide link ----------------------------------------------------------

QUESTIONS_LIMIT = 2000  # "questions" on the registration form (RegistrationController.validate)


def join_path(organiser, programme_id):
    members = accepted(organiser.get("/organiser/programmes/%s/members" % programme_id), (200,))
    link = re.search(r"<code>[^<]*?(/join/[A-Za-z0-9_\-]+)</code>", members.text)
    assert link, "no programme-wide link on the members page"
    return link.group(1)


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_registration_with_questions_at_the_limit(app, organiser, open_programme, where):
    path = join_path(organiser, open_programme)
    visitor = Client(app)
    form = accepted(visitor.get(path), (200,))
    questions = german_text(QUESTIONS_LIMIT, start=2)
    email = "registrierung.%s@mitglied.example" % where
    fields = [("name", "Dr. Käthe Groß-Öztürk"), ("email", email), ("company", "Müller, Söhne & Co. KG"),
              ("position", "Geschäftsführerin"), ("topics", "KI, Datenplattformen"),
              ("questions", as_browser_sends(questions)), ("languages", "Deutsch"), ("locale", "de"), ("consent", "on")]
    response = accepted(visitor.post_form(path, with_csrf(fields, csrf_of(form), where),
                                          chunked=where == "middle", pieces=6, pause=0.03), (200, 303))
    assert response.status == 303 or 'class="error-summary"' not in response.text, response.describe()
    members = accepted(organiser.get("/organiser/programmes/%s/members" % open_programme), (200,))
    cards = [card for card in members.text.split('<li class="card">')[1:] if html.escape(email) in card]
    assert len(cards) == 1, "the registration of %s is not waiting for approval" % email
    shown = [html.unescape(p).replace("\r\n", "\n") for p in re.findall(r"<p>(.*?)</p>", cards[0], re.S)]
    assert questions in shown, "the questions changed on the way"


# --- 3. the member-list upload -----------------------------------------------------------------------------------

def preview_count(response):
    rows = re.findall(r"<tr><td>\d+</td>", response.text)
    ready = re.search(r"(\d+) Einladungen sind bereit\.", response.text)
    assert ready, "no 'ready' line: %s\n%s" % (response.describe(), element_text(response.text, r"<main[^>]*>(.*?)</main>")[:1500])
    return int(ready.group(1)), len(rows)


def invited_count(client, programme_id):
    page = accepted(client.get("/organiser/programmes/%s/members" % programme_id), (200,))
    match = re.search(r'<span class="count-value">(\d+)</span>\s*eingeladen', page.text)
    assert match, "no 'eingeladen' count on the members page"
    return int(match.group(1))


def members_form(client, programme_id):
    return accepted(client.get("/organiser/programmes/%s/members" % programme_id), (200,))


@pytest.mark.parametrize("layout", ["csrf-before-file", "csrf-after-file", "csrf-between", "chunked-in-pieces"])
def test_member_list_upload_multipart(organiser, layout):
    programme_id = to_intake(organiser, create_programme(organiser, "Mitgliederliste %s" % layout, "Import-Test", PRIVACY))
    path = "/organiser/programmes/%s/members/import" % programme_id
    csv_text = member_csv(MEMBERS, layout.replace("-", ""), line_end="\r\n")  # as Excel writes it
    file_part = ("file", ("Mitglieder Liste März.csv", "text/csv", csv_text.encode("utf-8")))
    token = csrf_of(members_form(organiser, programme_id))
    parts = {
        "csrf-before-file": [("_csrf", token), file_part, ("csv", "")],
        "csrf-after-file": [file_part, ("csv", ""), ("_csrf", token)],
        "csrf-between": [file_part, ("_csrf", token), ("csv", "")],
        "chunked-in-pieces": [file_part, ("csv", ""), ("_csrf", token)],
    }[layout]
    options = dict(chunked=True, pieces=16, pause=0.03) if layout == "chunked-in-pieces" else {}
    preview = accepted(organiser.post_multipart(path, parts, **options), (200,))
    assert preview_count(preview) == (MEMBERS, MEMBERS)
    assert "Müller, Söhne &amp; Co. KG" in preview.text and "Brauerei &quot;Zum Löwen&quot; AG" in preview.text

    # Confirm sends the list back as the preview's confirm form has it (urlencoded, in its field order).
    confirm = re.search(r'<form method="post" action="[^"]*/import/confirm"[^>]*>(.*?)</form>', preview.text, re.S)
    assert confirm, "no confirm form on the preview"
    fields = [(name, html.unescape(value)) for name, value in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', confirm.group(1))]
    if "csv" not in dict(fields):  # the list in a text field of the form instead
        fields.append(("csv", element_text(confirm.group(1), r'<textarea[^>]*name="csv"[^>]*>(.*?)</textarea>')))
    assert dict(fields)["csv"].replace("\r\n", "\n") == csv_text.replace("\r\n", "\n")
    assert dict(fields)["_csrf"] == csrf_of(preview)
    fields = [(name, as_browser_sends(value.replace("\r\n", "\n"))) for name, value in fields]
    done = accepted(organiser.post_form(path + "/confirm", fields, pieces=6, pause=0.03), (303,))
    assert done.location == "/organiser/programmes/%s/members" % programme_id, done.describe()
    assert invited_count(organiser, programme_id) == MEMBERS


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_member_list_pasted(organiser, where):
    programme_id = to_intake(organiser, create_programme(organiser, "Mitgliederliste eingefügt %s" % where, "Import-Test",
                                                         PRIVACY))
    path = "/organiser/programmes/%s/members/import" % programme_id
    csv_text = member_csv(MEMBERS, "paste" + where)
    token = csrf_of(members_form(organiser, programme_id))
    # The upload form is multipart; a client may as well send the pasted list urlencoded (one field: "middle" is
    # "first" here; the multipart form below has the token between the file and the text).
    fields = with_csrf([("csv", as_browser_sends(csv_text))], token, where)
    preview = accepted(organiser.post_form(path, fields), (200,))
    assert preview_count(preview) == (MEMBERS, MEMBERS)
    multipart = accepted(organiser.post_multipart(path, with_csrf([("file", ("", "application/octet-stream", b"")),
                                                                   ("csv", as_browser_sends(csv_text))], token, where)),
                         (200,))
    assert preview_count(multipart) == (MEMBERS, MEMBERS)
    done = accepted(organiser.post_form(path + "/confirm", with_csrf([("csv", as_browser_sends(csv_text))],
                                                                     csrf_of(preview), where), chunked=True, pieces=8,
                                        pause=0.03), (303,))
    assert done.location.endswith("/members"), done.describe()
    assert invited_count(organiser, programme_id) == MEMBERS


def test_member_list_beyond_the_upload_limit_is_refused_as_too_large(organiser):
    """More than the 2 MB an upload may have is refused as too large (413), not as a CSRF failure (403) and never
    as a server error; nothing is imported."""
    programme_id = create_programme(organiser, "Mitgliederliste zu groß", "Import-Test", PRIVACY)
    path = "/organiser/programmes/%s/members/import" % programme_id
    token = csrf_of(members_form(organiser, programme_id))
    too_big = member_csv(25000, "zugross")
    assert len(too_big.encode()) > IMPORT_BODY_LIMIT
    refused = organiser.post_multipart(path, [("_csrf", token), ("file", ("zu-gross.csv", "text/csv", too_big.encode())),
                                              ("csv", "")])
    assert refused.status == 413, refused.describe()
    assert invited_count(organiser, programme_id) == 0


# --- 4. without the token: still refused --------------------------------------------------------------------------

def test_posts_without_or_with_a_wrong_csrf_token_are_refused(app, organiser, open_programme):
    visitor = Client(app)
    accepted(visitor.get("/programmes/%s/apply" % open_programme), (200,))  # has a session, sends no token
    apply = "/programmes/%s/apply" % open_programme
    fields = application_fields("ohne.token@talente.example", german_text(MOTIVATION_LIMIT))
    refused_as_csrf(visitor.post_form(apply, fields))
    refused_as_csrf(visitor.post_form(apply, fields, chunked=True, pieces=8, pause=0.03))
    refused_as_csrf(visitor.post_form(apply, fields, pieces=8, pause=0.03))
    refused_as_csrf(visitor.post_form(apply, with_csrf(fields, "falsch-" + "x" * 36, "first")))
    refused_as_csrf(visitor.post_form(apply, with_csrf(fields, "", "last")))
    refused_as_csrf(Client(app).post_form(apply, with_csrf(fields, "x" * 43, "last")))  # no session at all

    programme = demo_programme_id(organiser)
    path = "/organiser/programmes/%s/members/import" % programme
    csv_text = member_csv(MEMBERS, "ohnetoken").encode()
    refused_as_csrf(organiser.post_multipart(path, [("file", ("m.csv", "text/csv", csv_text)), ("csv", "")]))
    refused_as_csrf(organiser.post_multipart(path, [("file", ("m.csv", "text/csv", csv_text)), ("csv", "")],
                                             chunked=True, pieces=8, pause=0.03))
    refused_as_csrf(organiser.post_form("/organiser/programmes", programme_fields("Ohne Token", german_text(5000), PRIVACY)))
    # Nothing of it was stored.
    assert "ohne.token@talente.example" not in accepted(organiser.get(
        "/organiser/programmes/%s/applications" % open_programme), (200,)).text
    assert "ohnetoken" not in accepted(organiser.get("/organiser/programmes/%s/members" % programme), (200,)).text
