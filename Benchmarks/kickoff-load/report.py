#!/usr/bin/env python3
"""Combines the load client's result, the server's /proc samples and the run's facts into one report
(printed, and written as JSON with --out). Called by run.sh; standard library only."""

from __future__ import annotations

import argparse
import json

P99_TARGET_MS = 250
MEMORY_TARGET_MB = 300


def load_samples(path: str) -> list[dict]:
    samples = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 5 or not all(p.lstrip("-").isdigit() for p in parts):
                continue
            t, rss, ticks, busy, total = map(int, parts)
            samples.append({"t": t, "rssKb": rss, "ticks": ticks, "busy": busy, "total": total})
    return samples


def window(samples: list[dict], start: float, end: float, ticks_per_second: int) -> dict | None:
    """Server CPU (share of one core) and machine CPU busy (share of all cores) between two instants."""
    inside = [s for s in samples if start <= s["t"] <= end]
    if len(inside) < 2:
        return None
    a, b = inside[0], inside[-1]
    seconds = (b["t"] - a["t"]) / 1000
    total = b["total"] - a["total"]
    return {"seconds": round(seconds, 2),
            "serverCpuPercentOfOneCore": round(100 * (b["ticks"] - a["ticks"]) / ticks_per_second / seconds, 1),
            "machineBusyPercent": round(100 * (b["busy"] - a["busy"]) / total, 1) if total else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", required=True)
    parser.add_argument("--samples", required=True)
    parser.add_argument("--meta", required=True)
    parser.add_argument("--out")
    args = parser.parse_args()
    with open(args.client) as f:
        client = json.load(f)
    with open(args.meta) as f:
        meta = json.load(f)
    samples = load_samples(args.samples)
    hz = meta["clockTicksPerSecond"]

    switches = client["switches"]
    first, last = switches[0]["at"], switches[-1]["at"]
    rss_during_event = [s["rssKb"] for s in samples if first - 1000 <= s["t"] <= last + 1000]
    server = {
        "peakRssMb": round(meta["serverPeakRssKb"] / 1024, 1),
        "maxSampledRssMb": round(max((s["rssKb"] for s in samples), default=0) / 1024, 1),
        "rssAtStartMb": round(rss_during_event[0] / 1024, 1) if rss_during_event else None,
        "rssAtEndMb": round(rss_during_event[-1] / 1024, 1) if rss_during_event else None,
        "samples": len(samples),
        "cpuSecondsTotal": round((samples[-1]["ticks"] - samples[0]["ticks"]) / hz, 1) if samples else None,
        # From 0.25 s before to 0.75 s after each switch (samples are 0.25 s apart, CPU ticks 10 ms).
        "aroundSwitches": {s["label"]: window(samples, s["at"] - 250, s["at"] + 750, hz) for s in switches},
        "duringEvent": window(samples, first, last, hz),
        "exitStatus": meta["serverExitStatus"],
    }
    overall = client.get("overall") or {}
    worst_p99 = max(((s["latencyMs"] or {}).get("p99", float("inf")) for s in switches), default=float("inf"))
    targets = {
        "p99UnderMs": P99_TARGET_MS, "overallP99Ms": overall.get("p99"), "worstSwitchP99Ms": worst_p99,
        "p99Met": bool(client["ok"]) and worst_p99 < P99_TARGET_MS,
        "memoryUnderMb": MEMORY_TARGET_MB, "memoryMet": server["peakRssMb"] < MEMORY_TARGET_MB,
    }
    report = {**meta, "client": client, "server": server, "targets": targets}

    print(f'Kickoff load benchmark, {meta["date"]}, {meta["cores"]} cores, load before {meta["loadavgBefore"]} '
          f'(CPU busy {meta["cpuBusyBeforePercent"]}%)')
    print(f'command: {meta["command"]}')
    print(f'clients: {client["clients"]} ({meta["mentees"]} mentees + {meta["mentors"]} mentors, '
          f'{client.get("noShows", 0)} no-shows, {client.get("leavers", 0)} leaving at round 1); seed {meta["seedSeconds"]} s, '
          f'sign-in {client["signInSeconds"]} s, connect {client["connectSeconds"]} s, '
          f'all connected {client["connectedBeforeStartSeconds"]} s before the start')
    print(f'{"switch":<16} {"received":>10} {"median":>7} {"p99":>7} {"max":>7} | {"server p99":>10} {"delivery p99":>12} '
          f'| srv CPU  busy')
    for s in switches:
        lat = s["latencyMs"] or {}
        srv = s["serverMs"] or {}
        dlv = s["deliveryMs"] or {}
        cpu = server["aroundSwitches"].get(s["label"]) or {}
        following = client.get("following", client["clients"])
        updates = (f'  {s["planUpdates"]} new partners at +{s["planUpdateMs"]["median"]}..{s["planUpdateMs"]["max"]} ms'
                   if s.get("planUpdates") else "")
        print(f'{s["label"]:<16} {s["received"]:>5}/{following:<4} {lat.get("median", "-"):>7} {lat.get("p99", "-"):>7} '
              f'{lat.get("max", "-"):>7} | {srv.get("p99", "-"):>10} {dlv.get("p99", "-"):>12} '
              f'| {cpu.get("serverCpuPercentOfOneCore", "-"):>6}% {cpu.get("machineBusyPercent", "-"):>4}%{updates}')
    print(f'{"overall":<16} {"":>10} {overall.get("median", "-"):>7} {overall.get("p99", "-"):>7} {overall.get("max", "-"):>7}')
    print("  (ms from the scheduled switch to the client's arrival; server = the state's serverTime - scheduled,")
    print("   delivery = arrival - serverTime; srv CPU = server, % of one core, and machine busy, around the switch)")
    print(f'server: peak RSS (VmHWM) {server["peakRssMb"]} MB, sampled max {server["maxSampledRssMb"]} MB, '
          f'at the start {server["rssAtStartMb"]} MB, at the end {server["rssAtEndMb"]} MB; '
          f'CPU {server["cpuSecondsTotal"]} s in all; client CPU {client.get("clientCpuSeconds")} s')
    print(f'targets: p99 < {P99_TARGET_MS} ms: {"met" if targets["p99Met"] else "MISSED"} (worst switch p99 {worst_p99} ms); '
          f'memory < {MEMORY_TARGET_MB} MB: {"met" if targets["memoryMet"] else "MISSED"} ({server["peakRssMb"]} MB)')
    if meta.get("replans"):
        print("server re-plans: " + "; ".join(meta["replans"]))
    print("result: " + ("OK" if client["ok"] else "FAILED: " + "; ".join(client["problems"])))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
        print(f"JSON: {args.out}")


if __name__ == "__main__":
    main()
