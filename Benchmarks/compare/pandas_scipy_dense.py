"""Reference for `mentoring match` on a complete candidate CSV: pandas reads it, the weight matrix is built from
categorical codes, SciPy's linear_sum_assignment (maximize) solves it, the pairs are written as CSV.

python pandas_scipy_dense.py candidates.csv pairs.csv   -> prints pairs, total weight, seconds per step
(whole script incl. imports; run it under /usr/bin/time for the peak RSS)
"""
import sys
import time

start = time.perf_counter()
import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

imported = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype={"mentee": "category", "mentor": "category", "weight": np.int64},
                 keep_default_na=False, encoding="utf-8")
assert list(df.columns) == ["mentee", "mentor", "weight"]
read = time.perf_counter()
i = df["mentee"].cat.codes.to_numpy()
j = df["mentor"].cat.codes.to_numpy()
n, m = len(df["mentee"].cat.categories), len(df["mentor"].cat.categories)
assert len(df) == n * m, "not a complete matrix"
w = np.zeros((n, m), dtype=np.int64)
w[i, j] = df["weight"].to_numpy()
built = time.perf_counter()
rows, cols = linear_sum_assignment(w, maximize=True)
solved = time.perf_counter()
pd.DataFrame({
    "mentee": df["mentee"].cat.categories[rows],
    "mentor": df["mentor"].cat.categories[cols],
    "weight": w[rows, cols],
}).to_csv(sys.argv[2], index=False)
end = time.perf_counter()
print(f"pandas+scipy dense {n}x{m}: pairs {len(rows)} weight {int(w[rows, cols].sum())} "
      f"import {imported - start:.3f} s read {read - imported:.3f} s matrix {built - read:.3f} s "
      f"solve {solved - built:.3f} s write {end - solved:.3f} s total {end - start:.3f} s")
