"""End-to-end tests of the real `mentoring` binary's server commands: serve, migrate, create-organiser.

Run: MENTORING_BIN=/path/to/mentoring pytest Tests/e2e/test_server_cli.py (skipped when MENTORING_BIN is unset).
"""
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

BIN = os.environ.get("MENTORING_BIN")
REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not BIN, reason="MENTORING_BIN not set")


def env(tmp_path, **extra):
    values = dict(os.environ, SQLITE_PATH=str(tmp_path / "e2e.sqlite"), APP_DIRECTORY=str(REPO) + "/", LOG_LEVEL="warning")
    values.update(extra)
    return values


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(tmp_path, *args):
    port = free_port()
    process = subprocess.Popen([BIN, "serve", "--hostname", "127.0.0.1", "--port", str(port), *args],
                               env=env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=1) as response:
                if response.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("server did not start:\n" + process.stdout.read())


def stop(process):
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    return process.returncode, output


def test_serve_prints_url_and_a_working_one_time_link_then_shuts_down_gracefully(tmp_path):
    process, port = serve(tmp_path)
    code, output = stop(process)
    assert code == 0, output
    base = "http://127.0.0.1:%d" % port
    assert "Reverse Mentoring läuft auf %s" % base in output
    links = re.findall(re.escape(base) + r"/login/[A-Za-z0-9_-]{43}", output)
    assert len(links) == 1, output
    # The link's token is stored only as its hash, and the demo programme exists.
    db = sqlite3.connect(tmp_path / "e2e.sqlite")
    token = links[0].rsplit("/", 1)[1]
    hashes = [row[0] for row in db.execute("SELECT token_hash FROM login_tokens")]
    assert token not in hashes and len(hashes) == 1
    # Three demo programmes: one in intake, one ready for pairing, one in its tandem year.
    assert db.execute("SELECT count(*) FROM programmes").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM programmes WHERE phase = 'running'").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM programmes WHERE phase = 'pairing'").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM users WHERE email LIKE '%@demo.example'").fetchone()[0] >= 19


def test_serve_no_demo_starts_empty(tmp_path):
    process, port = serve(tmp_path, "--no-demo")
    with urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=5) as response:
        page = response.read().decode()
    code, output = stop(process)
    assert code == 0
    assert '<html lang="de">' in page
    assert "/login/" not in output
    db = sqlite3.connect(tmp_path / "e2e.sqlite")
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_create_organiser_and_migrate(tmp_path):
    result = subprocess.run([BIN, "create-organiser", "--email", "Heike@Institut.example", "--name", "Heike Beispiel"],
                            env=env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"Organiser heike@institut\.example ready\. One-time sign-in link: http://127\.0\.0\.1:8080/login/\S{43}",
                     result.stdout), result.stdout
    db = sqlite3.connect(tmp_path / "e2e.sqlite")
    assert db.execute("SELECT name, is_organiser FROM users WHERE email='heike@institut.example'").fetchall() == [("Heike Beispiel", 1)]
    again = subprocess.run([BIN, "migrate"], env=env(tmp_path), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "Migrations done." in again.stdout


def test_create_organiser_rejects_bad_input_and_writes_nothing(tmp_path):
    bad = subprocess.run([BIN, "create-organiser", "--email", "kein-at"], env=env(tmp_path),
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0
    assert '"kein-at" is not a valid e-mail address' in bad.stderr
    short = subprocess.run([BIN, "create-organiser", "--email", "a@b.example", "--password", "kurz"], env=env(tmp_path),
                           capture_output=True, text=True, timeout=120)
    assert short.returncode != 0 and "at least 12 characters" in short.stderr
    broken = subprocess.run([BIN, "migrate"], env=env(tmp_path, MAIL_TRANSPORT="pigeon", SMTP_PORT="x"),
                            capture_output=True, text=True, timeout=120)
    assert broken.returncode != 0
    assert "MAIL_TRANSPORT=pigeon" in broken.stderr and "SMTP_PORT=x" in broken.stderr
