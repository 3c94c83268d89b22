"""The OR-Tools model both reference scripts solve (the same model as ours): pair arcs cost MAX_W - w, a dummy arc
per mentee of cost n*MAX_W+1 (fewer pairs always cost more), mentor -> sink capacity 1; supplies 1 per mentee,
-n at the sink. Returns a boolean array: which candidate rows are chosen."""
import numpy as np
from ortools.graph.python import min_cost_flow

MAX_W = 1_000_000


def solve(ei, rj, wt, n, m):
    sink = n + m
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
    return smcf.flows(arcs[: len(ei)]) > 0
