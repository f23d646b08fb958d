"""Worker processes of the entities stage end when the work ends, whatever signal handlers the parent has."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import signal
    signal.signal(signal.SIGTERM, lambda *a: None)  # like a host (Dagster, a test runner) that handles SIGTERM
    from defcomm_assets.stages.entities.pipeline import get_pipeline, mentions_pipe
    get_pipeline()
    texts = ["Polish Defence Minister Władysław Kosiniak-Kamysz met his Romanian counterpart in Warsaw."] * 40
    full = list(mentions_pipe(texts, n_process=2, batch_size=8))
    assert len(full) == 40 and all(any(m.label == "PERSON" for m in ms) for ms in full)
    g = mentions_pipe(texts, n_process=2, batch_size=8)
    next(g)
    g.close()  # the consumer stops early (an exception in the stage): the pool is torn down, not waited for
    print("done")
""")


def test_mentions_pipe_workers_never_hang_the_parent():
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the workers too: they hold the pipes
        proc.communicate()
        raise AssertionError("mentions_pipe did not return: a worker process hangs the parent") from None
    assert proc.returncode == 0, err[-2000:]
    assert out.strip() == "done"
