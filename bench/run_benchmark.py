#!/usr/bin/env python
"""Benchmark the whole defcomm graph on a generated corpus.

    python bench/run_benchmark.py --n 100000 [--seed 7] [--workdir bench/out] [--repeat K]

1. generates (or reuses) ``N`` articles with ``bench/generate_corpus.py``;
2. per repeat, side by side in one run (these machines are shared and noisy):
   a. the bare spaCy tokenizer (``spacy.blank("en").tokenizer.pipe``, one process) over the
      same raw texts, timing only the tokenizer;
   b. the whole graph into a fresh DuckDB via ``defcomm_assets.orchestration.runner.run_pipeline`` in a
      child process, whose process tree's RSS is polled from ``/proc`` (sum over the tree)
      and whose ``ru_maxrss`` comes from ``wait4``;
   c. +1 % new articles (the next ``N/100`` of the same seed) and an incremental run into the
      same database; then the new articles are removed again so the corpus stays reusable;
3. prints markdown tables (medians over repeats): per stage and end to end articles/s,
   words/s, peak RSS; tokenizer words/s and the ratio end-to-end / tokenizer (median of the
   per-repeat ratios); the incremental run's wall time and its ratio to the full run.
   Results also go to ``<workdir>/results_n<N>_s<seed>_<utc>.json``.

"words" are whitespace-separated words of the raw files (what the generator reports), the same
numerator for the pipeline and the tokenizer, so the ratio is tokenizer time / pipeline time.
No Dagster import here: the pipeline runs in the child process.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate_corpus as gen  # noqa: E402

TARGET_RSS_MB = 2048
TARGET_RATIO = 0.50
TARGET_INCREMENTAL = 0.05

# Runs in the child: import the lead's in-process runner and dump its summary as JSON.
_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
started_at = time.time()
mod_name, fn_name = sys.argv[1].split(":")
import importlib
root_pkg = importlib.import_module(mod_name.split(".")[0])
fn = getattr(importlib.import_module(mod_name), fn_name)
import_s = time.perf_counter() - t0
kw = json.loads(sys.argv[4])
summary = fn(sys.argv[2], sys.argv[3], **kw)
def plain(v):
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if type(v) in (list, tuple):
        return [plain(x) for x in v]
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    inner = getattr(v, "value", None)  # dagster MetadataValue
    if isinstance(inner, (int, float, str, bool)):
        return inner
    return str(v)
out = {"success": bool(getattr(summary, "success", False)),
       "elapsed_s": float(getattr(summary, "elapsed_s", time.perf_counter() - t0)),
       "stage_metadata": plain(getattr(summary, "stage_metadata", {}) or {}),
       "import_s": import_s, "started_at": started_at, "package_file": getattr(root_pkg, "__file__", None),
       "failures": plain(getattr(summary, "failures", [])),
       "failed_checks": plain(getattr(summary, "failed_checks", []))}
with open(sys.argv[5], "w") as fh:
    json.dump(out, fh)
sys.exit(0 if out["success"] else 3)
"""


# --------------------------------------------------------------------------------------
# process-tree memory
# --------------------------------------------------------------------------------------

def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared by forked workers are counted once across the tree."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    kids.extend(int(x) for x in fh.read().split())
            except (FileNotFoundError, ProcessLookupError):
                continue
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def run_child(args: list[str], *, cwd: Path, env: dict, poll_s: float, log_path: Path | None) -> dict:
    """Run ``python -c _CHILD *args``; return wall time, exit code, peak tree RSS and ru_maxrss (MB)
    plus an RSS timeline [(t_since_start_s, tree_rss_mb)] for per-stage attribution."""
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    start_epoch = time.time()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, *args], cwd=cwd, env=env, stdout=log, stderr=log)
    peak_tree_kb = 0
    peak_pss_kb = 0
    peak_hwm_kb = 0
    timeline: list[tuple[float, float]] = []
    status = rusage = None
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        pids = _tree(proc.pid)
        tree_kb = sum(_status_kb(p, "VmRSS:") for p in pids)
        peak_tree_kb = max(peak_tree_kb, tree_kb)
        peak_pss_kb = max(peak_pss_kb, sum(_pss_kb(p) for p in pids))
        peak_hwm_kb = max([peak_hwm_kb] + [_status_kb(p, "VmHWM:") for p in pids])
        timeline.append((round(time.time() - start_epoch, 2), round(tree_kb / 1024, 1)))
        time.sleep(poll_s)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if log_path:
        log.close()
    wall = time.perf_counter() - t0
    ru_max_mb = rusage.ru_maxrss / 1024 if rusage else 0.0
    return {
        "wall_s": wall, "returncode": proc.returncode, "start_epoch": start_epoch,
        "peak_tree_rss_mb": round(max(peak_tree_kb / 1024, ru_max_mb), 1),
        "peak_tree_pss_mb": round(peak_pss_kb / 1024, 1),
        "peak_single_rss_mb": round(max(peak_hwm_kb / 1024, ru_max_mb), 1),
        "timeline": timeline,
    }


def run_pipeline_measured(source: Path, db: Path, *, full_refresh: bool, runner: str, selection: str | None,
                          workdir: Path, poll_s: float, log_path: Path, allow_failed: bool = False,
                          code_dir: Path = REPO) -> dict:
    kw: dict = {"full_refresh": full_refresh}
    if selection:
        kw["selection"] = [x.strip() for x in selection.split(",") if x.strip()]
    out_json = Path(tempfile.mkstemp(prefix="summary_", suffix=".json", dir=workdir)[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code_dir) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    m = run_child([runner, str(source), str(db), json.dumps(kw), str(out_json)], cwd=code_dir, env=env,
                  poll_s=poll_s, log_path=log_path)
    try:
        m["summary"] = json.loads(out_json.read_text()) if out_json.stat().st_size else None
    except (OSError, ValueError):
        m["summary"] = None
    out_json.unlink(missing_ok=True)
    if m["summary"] and allow_failed:
        return m
    if m["returncode"] != 0 or not m["summary"] or not m["summary"].get("success"):
        tail = log_path.read_text(errors="replace")[-4000:] if log_path.exists() else ""
        fails = (m["summary"] or {}).get("failures")
        raise RuntimeError(f"pipeline run failed (exit {m['returncode']}): {fails}; log {log_path}:\n{tail}")
    return m


# --------------------------------------------------------------------------------------
# corpus
# --------------------------------------------------------------------------------------

def _index_of(path: Path) -> int | None:
    head = path.name.split("_", 1)[0]
    return int(head) if head.isdigit() else None


def prepare_corpus(workdir: Path, n: int, seed: int, jobs: int) -> tuple[Path, dict]:
    corpus = workdir / f"corpus_s{seed}_n{n}"
    manifest = workdir / f"corpus_s{seed}_n{n}.json"
    remove_extra(corpus, n)
    if manifest.exists() and corpus.exists():
        stats = json.loads(manifest.read_text())
        if stats.get("n") == n and stats.get("seed") == seed and stats.get("generator") == _generator_stamp():
            count = sum(1 for _ in corpus.rglob("*.txt"))
            if count == n:
                stats["reused"] = True
                return corpus, stats
    shutil.rmtree(corpus, ignore_errors=True)
    stats = gen.generate_corpus(corpus, n, seed, jobs=jobs)
    stats["generator"] = _generator_stamp()
    manifest.write_text(json.dumps(stats))
    stats["reused"] = False
    return corpus, stats


def _generator_stamp() -> str:
    """Changes when the generator or its templates change (then the corpus is regenerated)."""
    import hashlib

    h = hashlib.sha256()
    for p in (HERE / "generate_corpus.py", gen.TEMPLATES_PATH):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def remove_extra(corpus: Path, n: int) -> int:
    """Delete articles with index >= n (a previous run's +1 % increment)."""
    removed = 0
    if not corpus.exists():
        return 0
    first_extra_shard = n // gen.SHARD_SIZE
    for shard in corpus.iterdir():
        if not shard.is_dir() or not shard.name.isdigit() or int(shard.name) < first_extra_shard:
            continue
        for f in shard.glob("*.txt"):
            i = _index_of(f)
            if i is not None and i >= n:
                f.unlink()
                removed += 1
        if not any(shard.iterdir()):
            shard.rmdir()
    return removed


def iter_texts(corpus: Path, batch: int = 500):
    files = sorted(corpus.rglob("*.txt"))
    for i in range(0, len(files), batch):
        yield [f.read_text(encoding="utf-8", errors="replace") for f in files[i:i + batch]]


# --------------------------------------------------------------------------------------
# tokenizer baseline
# --------------------------------------------------------------------------------------

_NLP = None


def tokenizer_baseline(corpus: Path) -> dict:
    """Bare ``spacy.blank("en").tokenizer`` over the raw texts, one process; only tokenizing is timed."""
    global _NLP
    import spacy

    if _NLP is None:
        _NLP = spacy.blank("en")
    tok = _NLP.tokenizer
    elapsed = 0.0
    n_docs = n_words = n_tokens = 0
    for texts in iter_texts(corpus):
        n_words += sum(len(t.split()) for t in texts)
        t0 = time.perf_counter()
        for doc in tok.pipe(texts, batch_size=1000):
            n_tokens += len(doc)
        elapsed += time.perf_counter() - t0
        n_docs += len(texts)
    return {"elapsed_s": elapsed, "docs": n_docs, "words": n_words, "tokens": n_tokens}


# --------------------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------------------

def _stage_rows(run: dict, n_docs: int, n_words: int) -> list[dict]:
    """Per-stage numbers from the runner's metadata, with the peak RSS taken from the polled
    timeline when the stage reports its wall-clock window, else from its own peak_rss_mb."""
    rows = []
    meta = (run.get("summary") or {}).get("stage_metadata") or {}
    for stage, md in meta.items():
        if not isinstance(md, dict):
            continue
        elapsed = md.get("elapsed_s")
        docs = md.get("processed_docs")
        if docs is None:
            docs = n_docs
        peak = md.get("peak_rss_mb")
        s0, s1 = md.get("started_at"), md.get("finished_at")
        if isinstance(s0, (int, float)) and isinstance(s1, (int, float)) and run.get("timeline"):
            base = run["start_epoch"]
            window = [mb for t, mb in run["timeline"] if s0 - base - 0.5 <= t <= s1 - base + 0.5]
            if window:
                peak = max(window)
        rows.append({
            "stage": stage, "docs": docs, "elapsed_s": elapsed,
            "articles_s": docs / elapsed if elapsed else None,
            "words_s": n_words * (docs / n_docs) / elapsed if elapsed and n_docs else None,
            "peak_rss_mb": peak,
        })
    return rows


def _med(values):
    vals = [v for v in values if isinstance(v, (int, float))]
    return statistics.median(vals) if vals else None


def _fmt(v, nd=1):
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer() and abs(v) >= 100:
        v = int(v)
    if isinstance(v, float):
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def summarise(reps: list[dict], n: int, words: int, inc_n: int, inc_words: int) -> dict:
    stages: dict[str, list[dict]] = {}
    for r in reps:
        for row in _stage_rows(r["full"], n, words):
            stages.setdefault(row["stage"], []).append(row)
    stage_med = [{
        "stage": s, "docs": _med([x["docs"] for x in rows]), "elapsed_s": _med([x["elapsed_s"] for x in rows]),
        "articles_s": _med([x["articles_s"] for x in rows]), "words_s": _med([x["words_s"] for x in rows]),
        "peak_rss_mb": _med([x["peak_rss_mb"] for x in rows]),
    } for s, rows in stages.items()]
    full_wall = _med([r["full"]["wall_s"] for r in reps])
    full_inproc = _med([r["full"]["summary"]["elapsed_s"] for r in reps])
    def tok_s(r):  # mean of the measurements before and after the full run
        xs = [r[k]["elapsed_s"] for k in ("tokenizer", "tokenizer_after") if r.get(k)]
        return sum(xs) / len(xs)

    tok = _med([tok_s(r) for r in reps])
    ratios = [tok_s(r) / r["full"]["wall_s"] for r in reps]
    ratios_inproc = [tok_s(r) / r["full"]["summary"]["elapsed_s"] for r in reps]
    out = {
        "stages": stage_med,
        "full_wall_s": full_wall, "full_inprocess_s": full_inproc,
        "full_articles_s": n / full_wall, "full_words_s": words / full_wall,
        "full_peak_tree_rss_mb": max(r["full"]["peak_tree_rss_mb"] for r in reps),
        "full_peak_single_rss_mb": max(r["full"]["peak_single_rss_mb"] for r in reps),
        "full_peak_tree_pss_mb": max(r["full"].get("peak_tree_pss_mb", 0) for r in reps),
        "tokenizer_s": tok, "tokenizer_words_s": words / tok if tok else None,
        "ratio_e2e_tokenizer": _med(ratios), "ratio_inprocess_tokenizer": _med(ratios_inproc),
        "ratios": ratios,
        "failures": sorted({f for r in reps for f in (r["full"]["summary"].get("failures") or [])}),
    }
    seeds = [r["seeds"] for r in reps if r.get("seeds")]
    if seeds:
        out["seeds_wall_s"] = _med([x["wall_s"] for x in seeds])
        out["seeds_ok"] = all(x["returncode"] == 0 for x in seeds)
    incs = [r for r in reps if r.get("incremental")]
    if incs:
        inc_wall = _med([r["incremental"]["wall_s"] for r in incs])
        out.update({
            "inc_n": inc_n, "inc_wall_s": inc_wall,
            "inc_inprocess_s": _med([r["incremental"]["summary"]["elapsed_s"] for r in incs]),
            "inc_peak_tree_rss_mb": max(r["incremental"]["peak_tree_rss_mb"] for r in incs),
            "inc_ratio": _med([r["incremental"]["wall_s"] / r["full"]["wall_s"] for r in incs]),
            "inc_stages": [{"stage": s["stage"], "docs": s["docs"], "elapsed_s": s["elapsed_s"]}
                           for s in _stage_rows(incs[0]["incremental"], inc_n, inc_words)],
        })
    return out


def render(res: dict, *, n: int, seed: int, words: int, repeat: int, header: dict) -> str:
    L = []
    L.append(f"## defcomm benchmark: {n:,} articles, {words:,} words, seed {seed}, median of {repeat} repeat(s)")
    L.append("")
    L.append(f"{header['utc']} · commit `{header['commit']}` ({header.get('code', '')}) · {header['cores']} cores · "
             f"{header['machine']} · Python {header['python']} · load average at start {header.get('loadavg_start')}, "
             f"at end {header.get('loadavg_end')} · `{header['command']}`")
    L.append("")
    if res.get("failures"):
        L.append(f"**The run FAILED** (numbers below cover only the stages that finished): {res['failures']}")
        L.append("")
    L.append("| stage | docs | seconds | articles/s | words/s | peak RSS MB |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for s in res["stages"]:
        L.append(f"| {s['stage']} | {_fmt(s['docs'])} | {_fmt(s['elapsed_s'])} | {_fmt(s['articles_s'])} | "
                 f"{_fmt(s['words_s'], 0)} | {_fmt(s['peak_rss_mb'])} |")
    L.append(f"| **end to end** (child wall, incl. imports) | {n:,} | {_fmt(res['full_wall_s'])} | "
             f"{_fmt(res['full_articles_s'])} | {_fmt(res['full_words_s'], 0)} | "
             f"{_fmt(res['full_peak_tree_rss_mb'])} (tree RSS) / {_fmt(res['full_peak_tree_pss_mb'])} (tree PSS) / "
             f"{_fmt(res['full_peak_single_rss_mb'])} (largest process) |")
    L.append(f"| bare spaCy tokenizer (1 process; mean of before and after the run) | {n:,} | "
             f"{_fmt(res['tokenizer_s'])} | {_fmt(n / res['tokenizer_s'] if res['tokenizer_s'] else None)} | "
             f"{_fmt(res['tokenizer_words_s'], 0)} | — |")
    L.append("")
    ok_r = res["ratio_e2e_tokenizer"] >= TARGET_RATIO
    ok_m = res["full_peak_tree_rss_mb"] <= TARGET_RSS_MB
    ok_pss = res["full_peak_tree_pss_mb"] <= TARGET_RSS_MB
    L.append(f"- end-to-end / tokenizer words/s: **{res['ratio_e2e_tokenizer']:.3f}** "
             f"(in-process run only: {res['ratio_inprocess_tokenizer']:.3f}; per repeat: "
             f"{', '.join(f'{r:.3f}' for r in res['ratios'])}) — target ≥ {TARGET_RATIO:.2f}: "
             f"{'PASS' if ok_r else 'FAIL'}")
    L.append(f"- peak memory of the run's process tree: **{res['full_peak_tree_rss_mb']:.0f} MB** summed RSS "
             f"({'PASS' if ok_m else 'FAIL'}), **{res['full_peak_tree_pss_mb']:.0f} MB** summed PSS, i.e. pages shared "
             f"by forked spaCy workers counted once ({'PASS' if ok_pss else 'FAIL'}) — target ≤ {TARGET_RSS_MB} MB")
    if "seeds_wall_s" in res:
        ok_s = res["seeds_wall_s"] <= 20 and res["seeds_ok"]
        L.append(f"- `defcomm run` on the five seeds (fresh DB, incl. interpreter start; what `make run` does after "
                 f"install): **{res['seeds_wall_s']:.1f} s**{'' if res['seeds_ok'] else ' (FAILED)'} — target ≤ 20 s: "
                 f"{'PASS' if ok_s else 'FAIL'}")
    if "inc_wall_s" in res:
        ok_i = res["inc_ratio"] <= TARGET_INCREMENTAL
        L.append(f"- incremental run after adding {res['inc_n']:,} new articles (+1 %): **{res['inc_wall_s']:.1f} s** "
                 f"wall ({res['inc_inprocess_s']:.1f} s in-process), peak RSS {res['inc_peak_tree_rss_mb']:.0f} MB; "
                 f"ratio to the full run **{res['inc_ratio']:.3f}** — target ≤ {TARGET_INCREMENTAL:.2f}: "
                 f"{'PASS' if ok_i else 'FAIL'}")
        if res.get("inc_stages"):
            L.append("  - incremental per stage: " + ", ".join(
                f"{s['stage']} {_fmt(s['elapsed_s'])} s ({_fmt(s['docs'])} docs)" for s in res["inc_stages"]))
    return "\n".join(L) + "\n"


def seeds_check(code_dir: Path, workdir: Path, log_path: Path) -> dict:
    """What ``make run`` does after install: ``defcomm run --source seeds --db <fresh>``, timed as a whole
    (interpreter start, imports, all assets) with the project's Dagster home, as the Makefile sets it."""
    db = workdir / "seeds_check.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code_dir) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    home = workdir / "dagster_home_seeds"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    if (code_dir / ".dagster_home" / "dagster.yaml").exists():
        shutil.copy(code_dir / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env["DAGSTER_HOME"] = str(home)
    cmd = [sys.executable, "-c", "import sys; from defcomm_assets.cli import main; sys.exit(main(sys.argv[1:]))",
           "run", "--source", str(code_dir / "seeds"), "--db", str(db)]
    t0 = time.perf_counter()
    with open(log_path, "ab") as log:
        rc = subprocess.run(cmd, cwd=code_dir, env=env, stdout=log, stderr=log).returncode
    return {"wall_s": time.perf_counter() - t0, "returncode": rc}


def snapshot_code(workdir: Path, commit: str) -> Path:
    """Export the committed tree at ``commit`` (``git archive``) so the benchmark runs a fixed code
    version: the shared working tree changes under a long run, and each stage's version is a hash
    of its source files, so an edit between the full and the incremental run reprocesses everything."""
    dest = workdir / f"code_{commit}"
    if (dest / ".complete").exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    (dest / ".complete").write_text(commit)
    return dest


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              timeout=10).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def _cpu_name() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def _mem_total_gb() -> float:
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="defcomm end-to-end benchmark")
    ap.add_argument("--n", type=int, required=True, help="articles in the corpus")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", default=str(HERE / "out"))
    ap.add_argument("--repeat", type=int, default=1, help="repeats (medians are reported)")
    ap.add_argument("--no-incremental", action="store_true", help="skip the +1 %% incremental run")
    ap.add_argument("--runner", default="defcomm_assets.orchestration.runner:run_pipeline", help="module:function")
    ap.add_argument("--selection", default=None, help="comma-separated asset keys passed to the runner")
    ap.add_argument("--allow-failed", action="store_true",
                    help="report the stages that finished even when the run fails (e.g. a stage not written yet)")
    ap.add_argument("--no-seeds-check", action="store_true", help="skip timing `defcomm run` on seeds/")
    ap.add_argument("--live", action="store_true",
                    help="run the working tree as it is instead of a git-archive snapshot of HEAD")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes for generating")
    ap.add_argument("--poll", type=float, default=None, help="RSS polling interval, s (default by N)")
    a = ap.parse_args(argv)

    workdir = Path(a.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    n, seed = a.n, a.seed
    poll = a.poll or (0.1 if n <= 5000 else 0.5)
    utc = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = {"utc": utc, "commit": _git_commit(), "cores": os.cpu_count(),
              "machine": f"{_cpu_name()}, {_mem_total_gb():.0f} GB RAM", "python": platform.python_version(),
              "loadavg_start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
              "command": "python bench/run_benchmark.py " + " ".join(argv if argv is not None else sys.argv[1:])}

    code_dir = REPO
    if not a.live and header["commit"] != "?":
        code_dir = snapshot_code(workdir, header["commit"])
        header["code"] = f"snapshot of {header['commit']}"
    else:
        header["code"] = "live working tree"
        header["commit"] += "+live"
    print(f"code: {code_dir}", flush=True)
    t0 = time.perf_counter()
    corpus, cstats = prepare_corpus(workdir, n, seed, a.jobs)
    words = int(cstats["words"])
    print(f"corpus {corpus}: {n:,} articles, {words:,} words "
          f"({'reused' if cstats['reused'] else f'generated in {time.perf_counter() - t0:.1f} s'})", flush=True)
    inc_n = max(1, n // 100)
    db = workdir / f"bench_s{seed}_n{n}.duckdb"
    log_path = workdir / f"pipeline_s{seed}_n{n}.log"
    log_path.write_bytes(b"")
    reps = []
    inc_words = 0
    try:
        for k in range(a.repeat):
            rep: dict = {}
            if not a.no_seeds_check:
                rep["seeds"] = seeds_check(code_dir, workdir, log_path)
                print(f"[{k + 1}/{a.repeat}] defcomm run on seeds/: {rep['seeds']['wall_s']:.1f} s "
                      f"(exit {rep['seeds']['returncode']})", flush=True)
            rep["tokenizer"] = tokenizer_baseline(corpus)
            print(f"[{k + 1}/{a.repeat}] tokenizer {rep['tokenizer']['elapsed_s']:.1f} s "
                  f"({words / rep['tokenizer']['elapsed_s']:,.0f} words/s)", flush=True)
            for p in (db, Path(str(db) + ".wal")):
                p.unlink(missing_ok=True)
            rep["full"] = run_pipeline_measured(corpus, db, full_refresh=True, runner=a.runner, selection=a.selection,
                                                workdir=workdir, poll_s=poll, log_path=log_path,
                                                allow_failed=a.allow_failed, code_dir=code_dir)
            if k == 0:
                print(f"package: {rep['full']['summary'].get('package_file')}", flush=True)
            if not rep["full"]["summary"].get("success"):
                print(f"[{k + 1}/{a.repeat}] RUN FAILED: {rep['full']['summary'].get('failures')}", flush=True)
            print(f"[{k + 1}/{a.repeat}] full run {rep['full']['wall_s']:.1f} s wall "
                  f"({words / rep['full']['wall_s']:,.0f} words/s), peak RSS {rep['full']['peak_tree_rss_mb']:.0f} MB",
                  flush=True)
            rep["tokenizer_after"] = tokenizer_baseline(corpus)  # bracket the run: the load drifts on shared machines
            print(f"[{k + 1}/{a.repeat}] tokenizer again {rep['tokenizer_after']['elapsed_s']:.1f} s", flush=True)
            if not a.no_incremental:
                istats = gen.generate_corpus(corpus, inc_n, seed, start=n, jobs=1)
                inc_words = istats["words"]
                try:
                    rep["incremental"] = run_pipeline_measured(corpus, db, full_refresh=False, runner=a.runner,
                                                               selection=a.selection, workdir=workdir, poll_s=poll,
                                                               log_path=log_path, allow_failed=a.allow_failed,
                                                               code_dir=code_dir)
                finally:
                    remove_extra(corpus, n)
                print(f"[{k + 1}/{a.repeat}] +{inc_n} articles: incremental run {rep['incremental']['wall_s']:.1f} s",
                      flush=True)
            reps.append(rep)
    finally:
        remove_extra(corpus, n)

    header["loadavg_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    res = summarise(reps, n, words, inc_n, inc_words)
    text = render(res, n=n, seed=seed, words=words, repeat=len(reps), header=header)
    print()
    print(text)
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = workdir / f"results_n{n}_s{seed}_{stamp}.json"
    for r in reps:  # keep the files small: the timeline only matters for the per-stage attribution
        for key in ("full", "incremental"):
            if key in r:
                r[key]["timeline"] = r[key]["timeline"][:: max(1, len(r[key]["timeline"]) // 500)]
    out.write_text(json.dumps({"header": header, "corpus": cstats, "result": res, "repeats": reps,
                               "markdown": text}, indent=1, default=str))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
