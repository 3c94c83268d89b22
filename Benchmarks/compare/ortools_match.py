"""Reference: read candidates.csv, solve max pairs then max weight with OR-Tools' min-cost flow.

python ortools_match.py candidates.csv   -> prints pairs, total weight, seconds (whole script incl. CSV read)
"""
import csv
import sys
import time

start = time.perf_counter()
import numpy as np
from ortools.graph.python import min_cost_flow

MAX_W = 1_000_000
mentee_index, mentor_index = {}, {}
ei, rj, wt = [], [], []
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    assert next(reader) == ["mentee", "mentor", "weight"]
    for mentee, mentor, weight in reader:
        ei.append(mentee_index.setdefault(mentee, len(mentee_index)))
        rj.append(mentor_index.setdefault(mentor, len(mentor_index)))
        wt.append(int(weight))
read = time.perf_counter()
n, m = len(mentee_index), len(mentor_index)
ei, rj, wt = np.array(ei), np.array(rj), np.array(wt)
sink = n + m
# Same model as ours: pair arcs cost MAX_W - w, a dummy arc per mentee of cost n*MAX_W+1 (fewer pairs always
# cost more), mentor -> sink capacity 1. Supplies: 1 per mentee, -n at the sink.
dummy = n * MAX_W + 1
starts = np.concatenate([ei, np.arange(n), n + np.arange(m)])
ends = np.concatenate([n + rj, np.full(n, sink), np.full(m, sink)])
caps = np.ones(len(starts), dtype=np.int64)
costs = np.concatenate([MAX_W - wt, np.full(n, dummy), np.zeros(m, dtype=np.int64)])
smcf = min_cost_flow.SimpleMinCostFlow()
arcs = smcf.add_arcs_with_capacity_and_unit_cost(starts, ends, caps, costs)
supplies = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(m, dtype=np.int64), [-n]])
smcf.set_nodes_supplies(np.arange(n + m + 1), supplies)
status = smcf.solve()
assert status == smcf.OPTIMAL, status
flows = smcf.flows(arcs[: len(ei)])
chosen = flows > 0
end = time.perf_counter()
print(f"ortools: pairs {int(chosen.sum())} weight {int(wt[chosen].sum())} "
      f"read {read - start:.3f} s solve {end - read:.3f} s total {end - start:.3f} s")
