"""The live kickoff with real WebRTC video between two browsers, in one speed-networking round and the switch.

The organiser saves the timing (2 rounds of 1 minute, 5 s break) and makes the plan; round 1's first pair
(mentee ↔ mentor, read from the plan page) sign in by e-mail in two Chromiums with a fake camera and
microphone and open the live page; a third participant who pauses in round 1 opens it too. The organiser
clicks "Starten". Checked: both partners see each other's name on the partner card, the RTCPeerConnection
reaches `connected` in both, and both decode the partner's video (getStats: inbound-rtp video
framesDecoded > 0), shown large with the own picture inside it; the pausing person sees the pause card and no
video box; the phase switches (talk → break → round 2) at the announced times in both browsers (status change
compared with `endsAt` and `endsAt + break`, in server time = Date.now() + the page's measured offset); the
break shows its own card with a countdown, no video box and no "video connected" any more; round 2 shows the
partners of the plan's round 2; "Beenden" ends it for everyone.

WebRTC between two headless Chromiums only works inside a loopback-only network namespace (see
/work/shared/TOOLING.md), so run it through `Tests/support/run_webrtc_test.sh`; this module skips itself
elsewhere (a plain `pytest Tests/browser` stays green). No app code is changed for the test: a script
injected before the page's own wraps `RTCPeerConnection` so the test can call getStats on the page's
connection, and a MutationObserver stamps every change of the status line with the page's server time.
"""

import json
import os
import re
import socket
import time
import unicodedata

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import xpath_literal, link, FAKE_MEDIA, REPO, click_and_wait, sign_in_by_email

NETNS_ENV = "MENTORING_WEBRTC_NETNS"


def _in_loopback_namespace():
    return [name for _, name in socket.if_nameindex()] == ["lo"]


if os.environ.get(NETNS_ENV) != "1":
    pytest.skip("WebRTC test: run it inside a loopback-only network namespace with "
                "`bash Tests/support/run_webrtc_test.sh` (%s is not set)" % NETNS_ENV, allow_module_level=True)

PROGRAMME = "Reverse Mentoring 2027"
ROUNDS, MINUTES, BREAK_SECONDS = 2, 1, 5
SWITCH_TOLERANCE_MS = 1000  # the server pushes a switch within ~50 ms; a page's clock offset adds a few ms

# Before the page's own scripts: remember every RTCPeerConnection the page makes, and log each change of the
# status line with the page's idea of server time and the state it was rendered from.
INSTRUMENT = r"""
(() => {
  const Original = window.RTCPeerConnection;
  window.__testPeers = [];
  if (Original) {
    window.RTCPeerConnection = class extends Original {
      constructor(...args) { super(...args); window.__testPeers.push(this); }
    };
  }
  window.__statusLog = [];
  document.addEventListener("DOMContentLoaded", () => {
    const status = document.getElementById("live-status");
    if (!status) return;
    new MutationObserver(() => {
      const live = window.liveState ? window.liveState() : null;
      const state = live && live.state;
      // The page renders a state in one go, so this sees the whole view the new status belongs to.
      const shown = (id) => { const e = document.getElementById(id); return !!e && !e.hidden; };
      window.__statusLog.push({
        text: status.textContent, serverTime: Date.now() + (live ? live.offset : 0),
        phase: state ? state.phase : null, round: state ? state.round : null, endsAt: state ? state.endsAt : null,
        cards: ["lobby", "partner-card", "break-card", "pause-card", "paused-card", "finished-card"].filter(shown),
        videos: shown("videos"), videoStatus: document.getElementById("video-status").textContent,
        clock: document.getElementById("live-clock").textContent,
        clockLabel: document.getElementById("live-clock-label").textContent,
      });
    }).observe(status, { childList: true, characterData: true, subtree: true });
  });
})();
"""

STATS = r"""
const done = arguments[arguments.length - 1];
const open = (window.__testPeers || []).filter((p) => p.connectionState !== "closed");
const peer = open[open.length - 1];
if (!peer) { done(null); return; }
peer.getStats().then((report) => {
  let video = null;
  report.forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "video") video = s; });
  const remote = document.getElementById("remote-video");
  done({
    connectionState: peer.connectionState, peers: window.__testPeers.length,
    framesDecoded: video ? video.framesDecoded : null,
    frameWidth: video ? video.frameWidth : null, frameHeight: video ? video.frameHeight : null,
    remoteVideo: { width: remote.videoWidth, height: remote.videoHeight, paused: remote.paused,
                   hasStream: !!remote.srcObject },
  });
}, (error) => done({ error: String(error) }));
"""


def texts(driver):
    """The page's localisation (the demo has German and English speakers), from Resources/Localization."""
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    with open(REPO / "Resources/Localization" / ("%s.json" % lang), encoding="utf-8") as f:
        return json.load(f)


def demo_address(name):
    """The demo's address for a person: 'Dr. Karin Vogt' → karin.vogt@, 'Sophie Krämer' → sophie.kraemer@."""
    name = re.sub(r"^Dr\.\s+", "", name.strip())
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        name = name.replace(umlaut, plain).replace(umlaut.upper(), plain.capitalize())
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(name.lower().split()) + "@demo.example"


def button(driver, text):
    return driver.find_element(By.XPATH, "//main//button[normalize-space()=%s]" % xpath_literal(text))


def set_number(driver, field_id, value):
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(str(value))
    assert field.get_attribute("value") == str(value)


def read_plan(driver):
    """{round number: {"talks": [(mentee, mentor)], "pausing": [names]}} from the plan page."""
    plan = {}
    for heading in driver.find_elements(By.XPATH, "//main//h3[starts-with(normalize-space(), 'Runde ')]"):
        number = int(re.match(r"Runde (\d+)", heading.text).group(1))  # "Runde 2 · 2 Gespräche · 1 pausiert"
        talks = []
        for item in heading.find_elements(By.XPATH, "following-sibling::ul[1]/li"):
            mentee, mentor = [part.strip() for part in item.text.split("↔")]
            talks.append((mentee, mentor))
        pausing = []
        hint = heading.find_elements(By.XPATH, "following-sibling::*[2][self::p[contains(@class, 'hint')]]")
        if hint:
            text = hint[0].text.split(":", 1)[1]
            pausing = [name.strip() for name in re.split(r"[;,]", text) if name.strip()]  # "A, B" (older pages: "A; B")
        plan[number] = {"talks": talks, "pausing": pausing}
    return plan


def partner_in(plan_round, name):
    for mentee, mentor in plan_round["talks"]:
        if mentee == name:
            return mentor
        if mentor == name:
            return mentee
    return None


def live_state(driver):
    return driver.execute_script("return window.liveState ? window.liveState() : null")


def visible(driver, element_id):
    return driver.find_element(By.ID, element_id).is_displayed()


def wait_for(driver, what, condition, timeout):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))
    except Exception:
        raise AssertionError("%s: not within %ss; liveState=%r, status=%r" % (
            what, timeout, live_state(driver), driver.find_element(By.ID, "live-status").text)) from None


def test_two_partners_see_and_decode_each_other_and_the_round_switches_on_time(organiser, servers, another_browser):
    assert _in_loopback_namespace(), "%s is set, but this is not a loopback-only network namespace: %r" % (
        NETNS_ENV, socket.if_nameindex())

    # --- the organiser sets the timing and makes the plan ---------------------------------------------------
    org = organiser
    click_and_wait(org, link(org, PROGRAMME))
    click_and_wait(org, link(org, "Kickoff & Speed Networking"))
    assert re.search(r"/organiser/programmes/[^/]+/kickoff$", org.current_url), org.current_url
    kickoff_page = org.current_url
    if not org.find_element(By.ID, "startsAt").get_attribute("value"):
        field = org.find_element(By.ID, "startsAt")
        field.send_keys("01012030" + Keys.TAB + "0500PM")
    set_number(org, "rounds", ROUNDS)
    set_number(org, "minutesPerRound", MINUTES)
    set_number(org, "breakSeconds", BREAK_SECONDS)
    click_and_wait(org, button(org, "Speichern"))
    assert not org.find_elements(By.CSS_SELECTOR, ".error-summary"), org.find_element(By.TAG_NAME, "main").text
    click_and_wait(org, button(org, "Rundenplan erstellen"))
    plan = read_plan(org)
    assert sorted(plan) == list(range(1, ROUNDS + 1)), plan
    mentee_name, mentor_name = plan[1]["talks"][0]
    live_url = link(org, "Live-Seite öffnen").get_attribute("href")
    assert re.search(r"/kickoff/[^/]+$", live_url), live_url
    print("plan:", json.dumps(plan, ensure_ascii=False))
    print("round 1, first pair: %s ↔ %s; live page %s" % (mentee_name, mentor_name, live_url))

    # --- the partners (and one person pausing in round 1) open the live page --------------------------------
    people = {"mentee": mentee_name, "mentor": mentor_name}
    if plan[1]["pausing"]:
        people["pausing"] = plan[1]["pausing"][0]
    drivers = {}
    for role, name in people.items():
        driver = another_browser(extra_arguments=FAKE_MEDIA)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": INSTRUMENT})
        sign_in_by_email(driver, servers, demo_address(name))
        driver.get(live_url)
        drivers[role] = driver
    for role, driver in drivers.items():
        wait_for(driver, "%s's page connects to the live socket" % role,
                 lambda d: (live_state(d) or {}).get("state") is not None, 15)
        assert live_state(driver)["state"]["phase"] == "notStarted", live_state(driver)
        assert not visible(driver, "partner-card")

    # --- the organiser starts ------------------------------------------------------------------------------
    org.get(kickoff_page)
    click_and_wait(org, button(org, "Starten"))
    started = time.monotonic()
    # At the start the server re-plans the rounds for the people present (the demo's others never come):
    # read the plan again and take roles from it.
    plan = read_plan(org)
    print("plan after the start:", json.dumps(plan, ensure_ascii=False))
    present = set(people.values())
    assert len(plan[1]["talks"]) == 1 and set(plan[1]["talks"][0]) <= present, plan
    by_name = {name: drivers[role] for role, name in people.items()}
    mentee_name, mentor_name = plan[1]["talks"][0]
    people = {"mentee": mentee_name, "mentor": mentor_name}
    for name in sorted(present - {mentee_name, mentor_name}):
        people["pausing"] = name
    drivers = {role: by_name[name] for role, name in people.items()}

    mentee, mentor = drivers["mentee"], drivers["mentor"]
    for role, driver, partner in (("mentee", mentee, mentor_name), ("mentor", mentor, mentee_name)):
        wait_for(driver, "%s sees the partner card with %s" % (role, partner),
                 lambda d: visible(d, "partner-card") and d.find_element(By.ID, "partner-name").text == partner, 10)
        state = live_state(driver)["state"]
        assert (state["phase"], state["round"], state["rounds"]) == ("talking", 1, ROUNDS), state
        assert state["caller"] == (role == "mentee"), state
        t = texts(driver)
        assert driver.find_element(By.ID, "live-status").text == "%s · %s" % (
            t["live.talking"], t["live.round"].replace("{1}", "1").replace("{2}", str(ROUNDS)))
        assert not visible(driver, "pause-card")
    if "pausing" in drivers:
        pauser = drivers["pausing"]
        wait_for(pauser, "the person pausing in round 1 sees the pause card",
                 lambda d: visible(d, "pause-card") and not visible(d, "partner-card"), 10)
        assert pauser.find_element(By.ID, "pause-card").text == texts(pauser)["live.pause"]
        # One card at a time, and no empty video box for somebody without a talk.
        assert not visible(pauser, "break-card") and not visible(pauser, "lobby") and not visible(pauser, "videos")

    # --- WebRTC: connected, and the partner's camera decodes in both browsers --------------------------------
    for role, driver in (("mentee", mentee), ("mentor", mentor)):
        wait_for(driver, "%s's RTCPeerConnection is connected" % role,
                 lambda d: (live_state(d) or {}).get("peerState") == "connected", 20)
        print("%s connected after %.1f s" % (role, time.monotonic() - started))
    stats = {}
    for role, driver in (("mentee", mentee), ("mentor", mentor)):
        driver.set_script_timeout(10)
        deadline = time.monotonic() + 15
        while True:
            stats[role] = driver.execute_async_script(STATS)
            if stats[role] and (stats[role].get("framesDecoded") or 0) > 0 and stats[role]["remoteVideo"]["width"] > 0:
                break
            assert time.monotonic() < deadline, "%s decodes no remote video frames: %r" % (role, stats[role])
            time.sleep(0.5)
        assert stats[role]["connectionState"] == "connected", stats[role]
        assert driver.find_element(By.ID, "video-status").text == texts(driver)["live.videoConnected"]
        # The partner large, the own picture small inside it (picture-in-picture).
        remote, local = (driver.find_element(By.ID, i).rect for i in ("remote-video", "local-video"))
        assert remote["width"] >= 2.5 * local["width"] and remote["x"] <= local["x"] \
            and local["x"] + local["width"] <= remote["x"] + remote["width"] + 0.5, (remote, local)
    print("getStats:", json.dumps(stats))

    # --- the countdown and the announced switch times -------------------------------------------------------
    ends_at = {role: live_state(d)["state"]["endsAt"] for role, d in (("mentee", mentee), ("mentor", mentor))}
    assert ends_at["mentee"] == ends_at["mentor"], ends_at
    talk_end = ends_at["mentee"]
    round2_start = talk_end + BREAK_SECONDS * 1000
    for role, driver in (("mentee", mentee), ("mentor", mentor)):
        left = driver.execute_script("return (arguments[0] - (Date.now() + window.liveState().offset)) / 1000", talk_end)
        clock = driver.find_element(By.ID, "live-clock").text
        assert re.fullmatch(r"\d\d:\d\d", clock), clock
        shown = int(clock[:2]) * 60 + int(clock[3:])
        assert abs(shown - left) <= 1.5, "%s: clock shows %s, %.1f s left until endsAt" % (role, clock, left)
        assert 0 < left <= MINUTES * 60, left

    # --- wait for round 2 -------------------------------------------------------------------------------------
    seconds_left = (round2_start - mentee.execute_script("return Date.now() + window.liveState().offset")) / 1000
    timings = {}
    for role, driver in drivers.items():
        wait_for(driver, "%s's page switches to round 2" % role,
                 lambda d: (live_state(d)["state"] or {}).get("round") == 2
                 and live_state(d)["state"]["phase"] == "talking", max(seconds_left, 0) + 10)
        log = driver.execute_script("return window.__statusLog")
        first = lambda phase, number: next((e for e in log if e["phase"] == phase and e["round"] == number), None)
        # During the break the state already names the coming round ("Gleich geht es weiter · Runde 2 von 2").
        between, talk2 = first("between", 2), first("talking", 2)
        assert talk2, "%s: no status change to round 2 logged: %r" % (role, log)
        timings[role] = {"round2_lag_ms": talk2["serverTime"] - round2_start,
                         "offset_ms": live_state(driver)["offset"]}
        if role != "pausing":  # the pausing person has no talk in round 1, so no break after it either
            assert between, "%s: no status change to the break logged: %r" % (role, log)
            timings[role]["break_lag_ms"] = between["serverTime"] - talk_end
            assert between["endsAt"] == round2_start, between  # during the break, endsAt is round 2's start
            # The break: its own card, no video box, the call's "connected" gone, a countdown to round 2.
            t = texts(driver)
            assert between["cards"] == ["break-card"] and not between["videos"], between
            assert between["videoStatus"] == "", between
            assert between["clockLabel"] == t["live.clock.untilNext"], between
            assert re.fullmatch(r"\d\d:\d\d", between["clock"]) and between["clock"] != "00:00", between
        talk2_view = ["partner-card"] if partner_in(plan[2], people[role]) else ["pause-card"]
        assert talk2["cards"] == talk2_view and talk2["videos"] == (talk2_view == ["partner-card"]), talk2
    print("switch timing (ms after the announced instant, server time):", json.dumps(timings))
    for role, timing in timings.items():
        for key in ("break_lag_ms", "round2_lag_ms"):
            if key in timing:
                assert -SWITCH_TOLERANCE_MS / 4 <= timing[key] <= SWITCH_TOLERANCE_MS, (role, timings)

    # Round 2 pairs people as the (re-made) plan says.
    for role, driver in drivers.items():
        partner = partner_in(plan[2], people[role])
        if partner:
            wait_for(driver, "%s sees round 2's partner %s" % (role, partner),
                     lambda d: visible(d, "partner-card") and d.find_element(By.ID, "partner-name").text == partner, 5)
        else:
            assert people[role] in plan[2]["pausing"], (people[role], plan[2])
            wait_for(driver, "%s pauses in round 2" % role, lambda d: visible(d, "pause-card"), 5)
    for role in ("mentee", "mentor"):
        state = drivers[role].execute_script(
            "return window.__testPeers.map(p => p.connectionState)")
        assert state[0] == "closed", "%s: round 1's connection is not closed in round 2: %r" % (role, state)

    # --- the organiser ends the kickoff ---------------------------------------------------------------------
    org.get(kickoff_page)
    org.find_element(By.XPATH, "//summary[normalize-space()='Beenden…']").click()  # ending asks for confirmation
    click_and_wait(org, button(org, "Jetzt für alle beenden"))
    for role, driver in drivers.items():
        t = texts(driver)
        wait_for(driver, "%s sees the end" % role,
                 lambda d: d.find_element(By.ID, "live-status").text == t["live.finished"], 5)
        assert not visible(driver, "partner-card") and not visible(driver, "pause-card")
        assert driver.execute_script("return document.getElementById('remote-video').srcObject") is None
        assert driver.find_element(By.ID, "video-status").text == "", "no 'video connected' after the end"
        assert not visible(driver, "videos")
