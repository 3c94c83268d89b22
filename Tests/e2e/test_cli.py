"""End-to-end tests of the real `mentoring match` / `mentoring schedule` binary.

Run: pytest Tests/e2e/test_cli.py (MENTORING_BIN=/path/to/mentoring, default .build/debug/mentoring).
Skipped entirely when that binary does not exist.
"""
import csv
import io
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("MENTORING_BIN") or str(ROOT / ".build" / "debug" / "mentoring")
pytestmark = pytest.mark.skipif(not os.path.exists(BIN), reason=f"no mentoring binary at {BIN}")


def run(*args):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=120)


def write(path, text):
    path.write_bytes(text.encode("utf-8"))
    return path


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_match_round_trip_with_awkward_ids(tmp_path):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["mentee", "mentor", "weight"])
    w.writerow(['Müller, "Chef"', "m\nline", 10])
    w.writerow(['Müller, "Chef"', "b", 9])
    w.writerow(["Zoë", "m\nline", 9])
    w.writerow(["Zoë", "b", 0])
    cand = write(tmp_path / "candidates.csv", out.getvalue())
    pairs = tmp_path / "pairs.csv"
    result = run("match", "--candidates", cand, "--output", pairs)
    assert result.returncode == 0, result.stderr
    assert "2 pairs" in result.stderr and "total weight 18" in result.stderr
    rows = read_csv(pairs)
    assert rows[0] == ["mentee", "mentor", "weight"]
    assert sorted(rows[1:]) == sorted([['Müller, "Chef"', "b", "9"], ["Zoë", "m\nline", "9"]])


def test_match_bad_input_names_file_line_field(tmp_path):
    cand = write(tmp_path / "candidates.csv", "mentee,mentor,weight\na,b,1\n\"x\ny\",b,2\nc,d,-3\n")
    pairs = tmp_path / "pairs.csv"
    result = run("match", "--candidates", cand, "--output", pairs)
    assert result.returncode != 0
    assert f'{cand}:5: field "weight": "-3" is not a non-negative integer' in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # one message (plus ArgumentParser's usage hint at most)
    assert not pairs.exists()


def test_schedule_is_valid(tmp_path):
    mentees = write(tmp_path / "mentees.csv", "id\n" + "".join(f"e{i}\n" for i in range(7)))
    mentors = write(tmp_path / "mentors.csv", "id\n" + "".join(f"r{i}\n" for i in range(4)))
    exclude = write(tmp_path / "exclude.csv", "mentee,mentor\ne0,r0\ne1,r1\n")
    fit = write(tmp_path / "fit.csv", "mentee,mentor,fit\ne2,r2,5\n")
    out = tmp_path / "schedule.csv"
    result = run("schedule", "--mentees", mentees, "--mentors", mentors, "--rounds", 3,
                 "--fit", fit, "--exclude", exclude, "--output", out)
    assert result.returncode == 0, result.stderr
    rows = read_csv(out)
    assert rows[0] == ["round", "mentee", "mentor"]
    meetings = [(int(r), e, m) for r, e, m in rows[1:]]
    assert len({(e, m) for _, e, m in meetings}) == len(meetings)
    assert not {("e0", "r0"), ("e1", "r1")} & {(e, m) for _, e, m in meetings}
    for r in range(1, 4):
        in_round = [x for x in meetings if x[0] == r]
        assert len({e for _, e, _ in in_round}) == len(in_round)
        assert len({m for _, _, m in in_round}) == len(in_round)
    assert all(1 <= r <= 3 for r, _, _ in meetings)
    assert len(meetings) == 12  # 4 mentors x 3 rounds, all used
    per_mentee = [sum(1 for _, e, _ in meetings if e == f"e{i}") for i in range(7)]
    assert min(per_mentee) == 1


def test_schedule_rejects_zero_rounds(tmp_path):
    mentees = write(tmp_path / "mentees.csv", "id\na\n")
    mentors = write(tmp_path / "mentors.csv", "id\nx\n")
    out = tmp_path / "schedule.csv"
    result = run("schedule", "--mentees", mentees, "--mentors", mentors, "--rounds", 0, "--output", out)
    assert result.returncode != 0
    assert "rounds" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_match_header_only_candidates_is_an_empty_plan(tmp_path, ending):
    cand = write(tmp_path / "candidates.csv", "mentee,mentor,weight" + ending)
    caps = write(tmp_path / "capacities.csv", "mentor,capacity" + ending)
    pairs = tmp_path / "pairs.csv"
    result = run("match", "--candidates", cand, "--capacities", caps, "--output", pairs)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert "match: 0 pairs for 0 mentees, total weight 0" in result.stderr
    assert pairs.read_bytes() == b"mentee,mentor,weight\n"


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_schedule_header_only_inputs(tmp_path, ending):
    nl = ending or "\n"
    empty_ids = write(tmp_path / "nobody.csv", "id" + ending)
    mentees = write(tmp_path / "mentees.csv", nl.join(["id", "A", "B"]) + ending)
    mentors = write(tmp_path / "mentors.csv", nl.join(["id", "x", "y"]) + ending)
    fit = write(tmp_path / "fit.csv", "mentee,mentor,fit" + ending)
    exclude = write(tmp_path / "exclude.csv", "mentee,mentor" + ending)
    out = tmp_path / "schedule.csv"

    # No mentees, no mentors, empty fit and exclusions: an empty plan.
    result = run("schedule", "--mentees", empty_ids, "--mentors", empty_ids, "--rounds", 3,
                 "--fit", fit, "--exclude", exclude, "--output", out)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert "schedule: 0 meetings in 3 rounds, minimum per mentee 0, total fit 0" in result.stderr
    assert out.read_bytes() == b"round,mentee,mentor\n"

    # Mentees but no mentors, and the other way round.
    for a, b in [(mentees, empty_ids), (empty_ids, mentors)]:
        result = run("schedule", "--mentees", a, "--mentors", b, "--rounds", 2, "--exclude", exclude, "--output", out)
        assert result.returncode == 0, (result.returncode, result.stderr)
        assert "schedule: 0 meetings in 2 rounds" in result.stderr
        assert out.read_bytes() == b"round,mentee,mentor\n"

    # People, but an empty exclusion list (the most common case) and an empty fit list: a full plan.
    result = run("schedule", "--mentees", mentees, "--mentors", mentors, "--rounds", 2,
                 "--fit", fit, "--exclude", exclude, "--output", out)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert "schedule: 4 meetings in 2 rounds, minimum per mentee 2, total fit 0" in result.stderr
    rows = read_csv(out)
    assert rows[0] == ["round", "mentee", "mentor"] and len(rows) == 5


def test_match_output_neutralises_formula_ids(tmp_path):
    cand = write(tmp_path / "candidates.csv", 'mentee,mentor,weight\n"=HYPERLINK(""http://evil.example"",""x"")",@m,5\n-e,+r,3\n')
    pairs = tmp_path / "pairs.csv"
    result = run("match", "--candidates", cand, "--output", pairs)
    assert result.returncode == 0, result.stderr
    rows = read_csv(pairs)
    assert sorted(rows[1:]) == sorted([["'=HYPERLINK(\"http://evil.example\",\"x\")", "'@m", "5"], ["'-e", "'+r", "3"]])
