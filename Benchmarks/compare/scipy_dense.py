"""Reference: SciPy's linear_sum_assignment (maximize) on an int64 .npy weight matrix."""
import resource
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

w = np.load(sys.argv[1])
start = time.perf_counter()
rows, cols = linear_sum_assignment(w, maximize=True)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"scipy dense {w.shape[0]}x{w.shape[1]}: {elapsed:.3f} s, total weight {int(w[rows, cols].sum())}, "
      f"peak RSS {peak:.0f} MB (matrix {w.nbytes / 2**20:.0f} MB)")
