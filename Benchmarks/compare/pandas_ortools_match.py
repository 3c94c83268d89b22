"""Reference: read candidates.csv with pandas, solve max pairs then max weight with OR-Tools' min-cost flow.

python pandas_ortools_match.py candidates.csv   -> prints pairs, total weight, seconds (whole script incl. CSV read)
"""
import sys
import time

start = time.perf_counter()
import numpy as np
import pandas as pd

from ortools_model import solve

df = pd.read_csv(sys.argv[1], dtype={"mentee": "category", "mentor": "category", "weight": np.int64},
                 keep_default_na=False, encoding="utf-8")
assert list(df.columns) == ["mentee", "mentor", "weight"]
ei = df["mentee"].cat.codes.to_numpy().astype(np.int64)
rj = df["mentor"].cat.codes.to_numpy().astype(np.int64)
wt = df["weight"].to_numpy()
mentee_index, mentor_index = df["mentee"].cat.categories, df["mentor"].cat.categories
read = time.perf_counter()
n, m = len(mentee_index), len(mentor_index)
chosen = solve(ei, rj, wt, n, m)
end = time.perf_counter()
print(f"pandas+ortools: pairs {int(chosen.sum())} weight {int(wt[chosen].sum())} "
      f"read {read - start:.3f} s solve {end - read:.3f} s total {end - start:.3f} s")
