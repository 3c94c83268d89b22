#!/usr/bin/env python3
"""Kickoff load benchmark client: thousands of participants on the live kickoff's WebSocket.

Signs in every personal event link (GET /event/<token> for the CSRF token and session cookie, then
POST /event/<token>), opens one WebSocket per person before the event starts, and records, for every
client, the local arrival time (time.time(), same machine clock as the server) of each state message
whose (phase, round) differs from the one before. After "finished" (or a timeout) it computes, for every
scheduled switch, how many clients received it and the latency arrival - scheduled switch time.

The latency includes everything between the scheduled instant and this process handing the message to
its own code: the server's 50 ms clock poll, building and sending 2,000 states, the kernel, and this
asyncio process working through 2,000 sockets on the same cores as the server. It is an upper bound on
what a participant on their own machine would see.

To exercise the automatic re-plan, --no-shows N leaves N participants (spread over the list) out
altogether (the server plans them out shortly before the start) and --leave N closes N clients' sockets
as soon as round 1 starts (the server plans them out at the first break after its 20 s grace, so use
rounds of more than 20 s). A state whose (phase, round) is the one before but whose partner differs is
a plan update; the report gives, per switch, how many clients got one and when.

Exit status: 0 when every client received every switch and none was disconnected, 1 otherwise, 2 on
a setup failure (sign-in or connect).

Usage: load_client.py --links links.csv --event event.json --out result.json
  links.csv   `role,link` as written by `mentoring seed-load-event --links`
  event.json  the JSON that `mentoring seed-load-event` printed
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import math
import re
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

# The form's hidden `_csrf` field (the layout's <meta name="csrf-token"> went in 6675e39; still accepted).
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"|<input type="hidden" name="_csrf" value="([^"]+)"')


def now_ms() -> float:
    return time.time() * 1000.0


@dataclass
class Client:
    index: int
    role: str
    link: str
    cookie: str = ""
    socket_url: str = ""
    ws: aiohttp.ClientWebSocketResponse | None = None
    # (local arrival ms, raw text) of every text message, in order. Parsed only after the run, so that
    # the hot path (2,000 messages at a switch) does as little as possible before taking the time.
    messages: list[tuple[float, str]] = field(default_factory=list)
    finished: bool = False
    error: str | None = None
    # Closes its socket when round 1 starts (--leave); not counted in the switch statistics.
    leaves: bool = False


class SetupError(Exception):
    pass


# MARK: Sign-in and connect

async def sign_in(session: aiohttp.ClientSession, client: Client, limit: asyncio.Semaphore) -> None:
    async with limit:
        async with session.get(client.link, allow_redirects=False) as response:
            body = await response.text()
            if response.status != 200:
                raise SetupError(f"GET {client.link}: HTTP {response.status}")
            cookie = response.cookies.get("rm_session")
            match = CSRF_META.search(body)
            if cookie is None or match is None:
                raise SetupError(f"GET {client.link}: no rm_session cookie or no CSRF token")
        async with session.post(
            client.link, data={"_csrf": match.group(1) or match.group(2)}, headers={"Cookie": f"rm_session={cookie.value}"},
            allow_redirects=False,
        ) as response:
            await response.read()
            location = response.headers.get("Location", "")
            if response.status != 303 or not location.startswith("/kickoff/"):
                raise SetupError(f"POST {client.link}: HTTP {response.status} to {location!r}")
            signed_in = response.cookies.get("rm_session") or cookie
    parts = urlsplit(client.link)
    scheme = "wss" if parts.scheme == "https" else "ws"
    client.cookie = signed_in.value
    client.socket_url = f"{scheme}://{parts.netloc}{location}/socket"


async def connect(session: aiohttp.ClientSession, client: Client, limit: asyncio.Semaphore) -> None:
    async with limit:
        try:
            client.ws = await session.ws_connect(
                client.socket_url, headers={"Cookie": f"rm_session={client.cookie}"},
                autoping=True, heartbeat=None, compress=0, max_msg_size=0,
            )
        except aiohttp.WSServerHandshakeError as error:
            raise SetupError(f"WebSocket {client.socket_url} (client {client.index}): refused, HTTP {error.status}")


async def listen(client: Client, first_message: asyncio.Event) -> None:
    """Receives until "finished"; any close or error before that is recorded as a disconnect."""
    ws = client.ws
    assert ws is not None
    try:
        while True:
            message = await ws.receive()
            arrival = now_ms()
            if message.type == aiohttp.WSMsgType.TEXT:
                client.messages.append((arrival, message.data))
                first_message.set()
                if '"phase":"finished"' in message.data:
                    client.finished = True
                    return
                if client.leaves and '"phase":"talking"' in message.data:
                    await ws.close()
                    return
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
                client.error = f"disconnected by the server before the end (close code {ws.close_code})"
                return
            elif message.type == aiohttp.WSMsgType.ERROR:
                client.error = f"socket error: {ws.exception()!r}"
                return
    except asyncio.CancelledError:
        if client.error is None:
            client.error = "timed out before the end"
        raise
    except Exception as error:  # noqa: BLE001 - any failure of one client is reported, not fatal to the run
        client.error = f"{type(error).__name__}: {error}"


# MARK: Schedule and statistics

def schedule(event: dict) -> list[dict]:
    """Every scheduled switch: (phase, round) the server announces and when, in ms since 1970."""
    start, rounds = event["startsAt"], event["rounds"]
    talk, pause = event["roundSeconds"] * 1000, event["breakSeconds"] * 1000
    switches = [{"label": "round 1 starts", "phase": "talking", "round": 1, "at": start}]
    for r in range(1, rounds):
        end = start + r * talk + (r - 1) * pause
        if pause > 0:
            switches.append({"label": f"round {r} ends", "phase": "between", "round": r + 1, "at": end})
        switches.append({"label": f"round {r + 1} starts", "phase": "talking", "round": r + 1, "at": end + pause})
    switches.append({"label": "finished", "phase": "finished", "round": None,
                     "at": start + rounds * talk + (rounds - 1) * pause})
    return switches


def nearest_rank(sorted_values: list[float], q: float) -> float:
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def summary(values: list[float]) -> dict | None:
    if not values:
        return None
    ordered = sorted(values)
    return {"min": round(ordered[0], 1), "median": round(statistics.median(ordered), 1),
            "p99": round(nearest_rank(ordered, 0.99), 1), "max": round(ordered[-1], 1)}


def transitions(client: Client) -> tuple[list[dict], list[dict]]:
    """The client's state messages whose (phase, round) differs from the previous one, and the plan
    updates: same (phase, round), another partner."""
    seen, updates, previous, partner = [], [], None, None
    for arrival, text in client.messages:
        try:
            state = json.loads(text)
        except json.JSONDecodeError:
            continue
        if state.get("type") != "state":
            continue
        key = (state.get("phase"), state.get("round"))
        now_partner = (state.get("partner") or {}).get("id")
        if key != previous:
            seen.append({"phase": key[0], "round": key[1], "arrival": arrival, "serverTime": state.get("serverTime")})
            previous = key
        elif now_partner != partner:
            updates.append({"phase": key[0], "round": key[1], "arrival": arrival})
        partner = now_partner
    return seen, updates


def analyse(clients: list[Client], switches: list[dict]) -> dict:
    per_switch = []
    all_latencies: list[float] = []
    unexpected: dict[str, int] = {}
    expected_keys = {(s["phase"], s["round"]) for s in switches} | {("notStarted", None)}
    late_joiners = 0
    seen_by_client, updates_by_client = [], []
    for client in clients:
        seen, updates = transitions(client)
        updates_by_client.append({(item["phase"], item["round"]): item for item in updates})
        if seen and seen[0]["phase"] != "notStarted":
            late_joiners += 1
        for item in seen:
            if (item["phase"], item["round"]) not in expected_keys:
                name = f'{item["phase"]}/{item["round"]}'
                unexpected[name] = unexpected.get(name, 0) + 1
        seen_by_client.append({(item["phase"], item["round"]): item for item in seen})
    for switch in switches:
        key = (switch["phase"], switch["round"])
        total, server, delivery, arrivals = [], [], [], []
        for seen in seen_by_client:
            item = seen.get(key)
            if item is None:
                continue
            arrivals.append(item["arrival"])
            total.append(item["arrival"] - switch["at"])
            if item["serverTime"] is not None:
                server.append(item["serverTime"] - switch["at"])
                delivery.append(item["arrival"] - item["serverTime"])
        all_latencies.extend(total)
        plan_updates = [u[key]["arrival"] - switch["at"] for u in updates_by_client if key in u]
        per_switch.append({
            **switch, "received": len(total), "missing": len(clients) - len(total),
            "latencyMs": summary(total),
            # serverTime is taken per person while the server builds that person's state: serverMs shows
            # how far into the broadcast the server was, deliveryMs the rest (socket, kernel, this client).
            "serverMs": summary(server), "deliveryMs": summary(delivery),
            "spreadMs": round(max(arrivals) - min(arrivals), 1) if arrivals else None,
            # Clients told a new partner during this phase (a re-plan), ms after the switch.
            "planUpdates": len(plan_updates), "planUpdateMs": summary(plan_updates),
        })
    return {"switches": per_switch, "overall": summary(all_latencies), "unexpectedStates": unexpected,
            "connectedAfterStart": late_joiners}


def print_report(result: dict) -> None:
    print(f'clients: {result["clients"]}  sign-in: {result["signInSeconds"]} s  connect: {result["connectSeconds"]} s  '
          f'all connected {result["connectedBeforeStartSeconds"]} s before the start')
    print(f'{"switch":<16} {"received":>9} {"median":>8} {"p99":>8} {"max":>8}   (ms after the scheduled switch)')
    for s in result["switches"]:
        lat = s["latencyMs"] or {"median": "-", "p99": "-", "max": "-"}
        updates = f'   {s["planUpdates"]} plan updates, max {s["planUpdateMs"]["max"]} ms' if s["planUpdates"] else ""
        print(f'{s["label"]:<16} {s["received"]:>5}/{result["following"]:<4}'
              f'{lat["median"]:>8} {lat["p99"]:>8} {lat["max"]:>8}{updates}')
    o = result["overall"] or {"median": "-", "p99": "-", "max": "-"}
    print(f'{"overall":<16} {"":>9} {o["median"]:>8} {o["p99"]:>8} {o["max"]:>8}')
    for problem in result["problems"]:
        print(f"PROBLEM: {problem}", file=sys.stderr)


# MARK: Main

async def run(args: argparse.Namespace) -> int:
    with open(args.event) as f:
        event = json.load(f)
    with open(args.links, newline="") as f:
        rows = list(csv.DictReader(f))
    if args.limit:
        rows = rows[: args.limit]
    spread = lambda n, total: {math.floor(i * total / n) for i in range(n)} if n else set()  # noqa: E731
    no_shows = spread(args.no_shows, len(rows))
    rows = [row for i, row in enumerate(rows) if i not in no_shows]
    clients = [Client(index=i, role=row["role"], link=row["link"]) for i, row in enumerate(rows)]
    # Leavers are spread too, but shifted so that they are not the no-shows' neighbours only.
    for i in spread(args.leave, len(clients)):
        clients[(i + 1) % len(clients)].leaves = True
    switches = schedule(event)
    starts_at = event["startsAt"]
    result: dict = {"clients": len(clients), "noShows": len(no_shows), "leavers": sum(c.leaves for c in clients),
                    "kickoff": event["kickoff"], "startsAt": starts_at,
                    "rounds": event["rounds"], "roundSeconds": event["roundSeconds"],
                    "breakSeconds": event["breakSeconds"], "problems": []}

    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as session:
        # Sign in everybody (bounded: the server's SQLite writes one session at a time).
        t0 = time.monotonic()
        limit = asyncio.Semaphore(args.sign_in_concurrency)
        outcomes = await asyncio.gather(*(sign_in(session, c, limit) for c in clients), return_exceptions=True)
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        result["signInSeconds"] = round(time.monotonic() - t0, 2)
        print(f"signed in {len(clients) - len(failures)}/{len(clients)} in {result['signInSeconds']} s", flush=True)
        if failures:
            print(f"sign-in failed for {len(failures)} clients, first: {failures[0]!r}", file=sys.stderr)
            return 2

        # Open every socket; each listens from the moment it is open.
        t1 = time.monotonic()
        limit = asyncio.Semaphore(args.connect_concurrency)
        first_messages = [asyncio.Event() for _ in clients]
        outcomes = await asyncio.gather(*(connect(session, c, limit) for c in clients), return_exceptions=True)
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if failures:
            print(f"WebSocket connect failed for {len(failures)} clients, first: {failures[0]!r}", file=sys.stderr)
            return 2
        listeners = [asyncio.create_task(listen(c, e)) for c, e in zip(clients, first_messages)]
        # Connected means: the server has registered the socket and sent the first state.
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in first_messages)), timeout=120)
        result["connectSeconds"] = round(time.monotonic() - t1, 2)
        margin = (starts_at - now_ms()) / 1000
        result["connectedBeforeStartSeconds"] = round(margin, 2)
        print(f"connected {len(clients)} WebSockets in {result['connectSeconds']} s; "
              f"start in {margin:.1f} s", flush=True)
        if margin < 1:
            result["problems"].append(f"the last client connected {-margin:.1f} s after the start: raise --start-in")

        # Wait for the end (the last scheduled switch plus a grace period).
        deadline = (switches[-1]["at"] - now_ms()) / 1000 + args.grace
        done, pending = await asyncio.wait(listeners, timeout=max(deadline, 1))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        # Close only now, so that early closes do not disturb the last switch for the others.
        await asyncio.gather(*(c.ws.close() for c in clients if c.ws is not None), return_exceptions=True)

    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["clientCpuSeconds"] = round(usage.ru_utime + usage.ru_stime, 2)
    staying = [c for c in clients if not c.leaves]
    result["following"] = len(staying)
    result.update(analyse(staying, switches))
    errors = [c for c in staying if c.error]
    result["disconnected"] = len(errors)
    if errors:
        kinds: dict[str, int] = {}
        for c in errors:
            kinds[c.error] = kinds.get(c.error, 0) + 1
        result["problems"].extend(f"{n} clients: {kind}" for kind, n in kinds.items())
    for s in result["switches"]:
        if s["missing"]:
            result["problems"].append(f'{s["missing"]} clients missed "{s["label"]}"')
    if result["unexpectedStates"]:
        result["problems"].append(f"unexpected states: {result['unexpectedStates']}")
    if result["connectedAfterStart"]:
        result["problems"].append(f"{result['connectedAfterStart']} clients' first state was not notStarted")
    result["ok"] = not result["problems"]
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
        for problem in result["problems"]:
            print(f"PROBLEM: {problem}", file=sys.stderr)
    else:
        print_report(result)
    return 0 if result["ok"] else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--links", required=True, help="CSV role,link from seed-load-event")
    parser.add_argument("--event", required=True, help="JSON printed by seed-load-event")
    parser.add_argument("--out", help="write the result as JSON here")
    parser.add_argument("--sign-in-concurrency", type=int, default=16)
    parser.add_argument("--connect-concurrency", type=int, default=64)
    parser.add_argument("--grace", type=float, default=30, help="seconds to wait after the scheduled finish")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N links (0: all)")
    parser.add_argument("--no-shows", type=int, default=0, help="N participants never come")
    parser.add_argument("--leave", type=int, default=0, help="N clients leave when round 1 starts")
    args = parser.parse_args()
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
