"""Reference: read candidates.csv with pandas, solve max pairs then max weight with OR-Tools' min-cost flow.

python pandas_ortools_match.py candidates.csv   -> prints pairs, total weight, seconds (whole script incl. CSV read)
"""
import sys
import time

start = time.perf_counter()
import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow

MAX_W = 1_000_000
df = pd.read_csv(sys.argv[1], dtype={"mentee": "category", "mentor": "category", "weight": np.int64},
                 keep_default_na=False, encoding="utf-8")
assert list(df.columns) == ["mentee", "mentor", "weight"]
ei = df["mentee"].cat.codes.to_numpy().astype(np.int64)
rj = df["mentor"].cat.codes.to_numpy().astype(np.int64)
wt = df["weight"].to_numpy()
mentee_index, mentor_index = df["mentee"].cat.categories, df["mentor"].cat.categories
read = time.perf_counter()
n, m = len(mentee_index), len(mentor_index)
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
print(f"pandas+ortools: pairs {int(chosen.sum())} weight {int(wt[chosen].sum())} "
      f"read {read - start:.3f} s solve {end - read:.3f} s total {end - start:.3f} s")
