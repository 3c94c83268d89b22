"""Generate benchmark instances (seeded) as the CSV files `mentoring match|schedule` read, plus .npy for dense.

python generate.py dense N OUT.npy            # N x N complete weights 0..1e6 (int64)
python generate.py densecsv N OUT.csv         # the same kind of matrix as a complete candidate CSV (N*N rows,
                                              # ids e0.. / r0.., sorted by mentee then mentor)
python generate.py sparse N K OUT_DIR         # N mentees x K random distinct candidates among N mentors
python generate.py rounds N M FIT OUT_DIR     # mentees.csv, mentors.csv, fit.csv (FIT random fit pairs per mentee)
"""
import csv
import sys

import numpy as np


def main():
    kind = sys.argv[1]
    rng = np.random.default_rng(20261123)
    if kind == "dense":
        n = int(sys.argv[2])
        np.save(sys.argv[3], rng.integers(0, 1_000_001, size=(n, n), dtype=np.int64))
    elif kind == "densecsv":
        n, out = int(sys.argv[2]), sys.argv[3]
        w = rng.integers(0, 1_000_001, size=(n, n), dtype=np.int64)
        mentors = [f"r{j}," for j in range(n)]
        with open(out, "w", newline="") as f:
            f.write("mentee,mentor,weight\n")
            for i in range(n):
                prefix = f"e{i},"
                f.write("".join(f"{prefix}{mentors[j]}{x}\n" for j, x in enumerate(w[i].tolist())))
    elif kind == "sparse":
        n, k, out = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        with open(f"{out}/candidates.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["mentee", "mentor", "weight"])
            for i in range(n):
                mentors = rng.choice(n, size=k, replace=False)
                weights = rng.integers(0, 1_000_001, size=k)
                for j, x in zip(mentors, weights):
                    w.writerow([f"e{i}", f"r{j}", int(x)])
    elif kind == "rounds":
        n, m, per, out = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
        for name, count, prefix in (("mentees", n, "e"), ("mentors", m, "r")):
            with open(f"{out}/{name}.csv", "w") as f:
                f.write("id\n" + "".join(f"{prefix}{i}\n" for i in range(count)))
        with open(f"{out}/fit.csv", "w") as f:
            f.write("mentee,mentor,fit\n")
            for i in range(n):
                for j in rng.choice(m, size=per, replace=False):
                    f.write(f"e{i},r{j},{int(rng.integers(1, 101))}\n")
    else:
        raise SystemExit(__doc__)


main()
