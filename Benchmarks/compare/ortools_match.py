"""Reference: read candidates.csv, solve max pairs then max weight with OR-Tools' min-cost flow.

python ortools_match.py candidates.csv   -> prints pairs, total weight, seconds (whole script incl. CSV read)
"""
import csv
import sys
import time

start = time.perf_counter()
import numpy as np

from ortools_model import solve

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
chosen = solve(ei, rj, wt, n, m)
end = time.perf_counter()
print(f"ortools: pairs {int(chosen.sum())} weight {int(wt[chosen].sum())} "
      f"read {read - start:.3f} s solve {end - read:.3f} s total {end - start:.3f} s")
