"""gunicorn reads this file from its working directory (the app directory) by itself; the command line (bind,
workers, timeout) still comes from the systemd unit.

Each worker counts its own Prometheus metrics. With PROMETHEUS_MULTIPROC_DIR set, prometheus_client keeps them in
files in that directory and /metrics adds up all workers' files; without it, each scrape would see only the worker
that answered it. The files of a previous run are removed at start, and a dead worker's gauges are dropped.
"""
import glob
import os

MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server):
    if MULTIPROC_DIR:
        os.makedirs(MULTIPROC_DIR, exist_ok=True)
        for path in glob.glob(os.path.join(MULTIPROC_DIR, "*.db")):
            os.remove(path)


def child_exit(server, worker):
    if MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
