"""`opsmon serve`: migrate, collect static files, then run gunicorn and the background task workers side by side.

Each runs as a child process in its own process group, so a terminal's Ctrl+C reaches only this process,
which passes SIGTERM/SIGINT on to each child exactly once (a second signal forces them). When gunicorn
exits for any reason the workers are stopped too, and this command exits with gunicorn's status. A worker
that dies on its own is started again, and a task it was running when it died is marked failed
(opsmon.core.interrupted). On Linux the children also end if this process is killed outright.
Under systemd use `KillMode=mixed`, so the stop signal goes to this process only.
"""

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _

from opsmon.core.interrupted import Orphans, worker_names
from opsmon.core.jobs import JOBS_QUEUE
from opsmon.schedule import Scheduler

WORKER_STOP_SECONDS = 30  # a running import gets this long to finish before the worker is killed
RESTART_DELAY_SECONDS = 5
_PR_SET_PDEATHSIG = 1


def _end_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: have the kernel send SIGTERM to the child when `opsmon serve` dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(argv: list[str]) -> subprocess.Popen:
    """A child in its own process group (a terminal's Ctrl+C reaches only us), ending with us on Linux."""
    on_linux = sys.platform == "linux"
    return subprocess.Popen(argv, process_group=0, preexec_fn=_end_with_parent if on_linux else None)  # noqa: S603


class Command(BaseCommand):
    help = _("Migrate, collect static files and run OpsMon under gunicorn, with the background task worker.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--no-migrate", action="store_true")
        parser.add_argument("--no-task-worker", action="store_true",
                            help=_("Do not start the background task workers "
                                   "(run `db_worker --queue-name default,jobs` elsewhere)."))
        # Several nodes (issue 19): each may tick the schedule, the database lease queues each job once.
        parser.add_argument("--scheduler", action="store_true",
                            help=_("Queue the periodic work even without a task worker of this node's own."))
        parser.add_argument("--no-collectstatic", action="store_true",
                            help=_("Do not collect static files (they were collected when the release was installed)."))

    def handle(self, *args, host, port, workers, no_migrate, no_task_worker, scheduler=False, no_collectstatic=False,
               **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=1)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if not gunicorn:
            raise CommandError(_("gunicorn is not installed."))
        web_argv = [gunicorn, "opsmon.wsgi:application", "--bind", f"{host}:{port}", "--workers", str(workers),
                    "--access-logfile", "-", "--timeout", "120", "--graceful-timeout", "20",
                    # gunicorn's default control socket is one per user ($HOME/.gunicorn): two servers would share it
                    "--control-socket", str(Path(settings.VAR_DIR) / f"gunicorn-{port}.ctl")]
        # The child finds the same settings: DJANGO_SETTINGS_MODULE is in the environment it inherits.
        # Two workers: the schedule's runs (reminders, digests, webhooks; a reminders run can take minutes on a
        # large database) never hold up a user's import or export, which has a queue and a worker of its own.
        worker = [sys.executable, "-m", "opsmon.cli", "db_worker", "--no-reload", "--interval", "1", "--queue-name"]
        workers_argv = [[*worker, "default"], [*worker, JOBS_QUEUE]]

        self.stdout.write(_("OpsMon listening on http://%(host)s:%(port)s/") % {"host": host, "port": port})
        self.stdout.flush()
        code = self.supervise(web_argv, [] if no_task_worker else workers_argv,
                              schedule=scheduler or not no_task_worker)
        if code:
            raise SystemExit(code)

    def supervise(self, web_argv: list[str], workers_argv: list[list[str]], schedule: bool = False) -> int:
        """Run gunicorn (and the task workers) until gunicorn exits; answer its exit status. The schedule is ticked
        when asked to (this node has task workers, or `--scheduler`)."""
        web = _start(web_argv)
        names = worker_names()
        workers = [_Worker(argv, next(names)) for argv in workers_argv]
        orphans = Orphans() if workers else None  # tasks left RUNNING by a worker that died are failed
        signals_seen = []

        def forward(signum, frame):
            signals_seen.append(signum)
            for child in (web, *(w.process for w in workers)):
                if child.poll() is None:
                    child.send_signal(signum if len(signals_seen) == 1 else signal.SIGKILL)

        previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            scheduler = Scheduler() if schedule else None
            while True:
                try:
                    code = web.wait(timeout=1)
                    break
                except subprocess.TimeoutExpired:
                    pass
                for w in workers:
                    if w.process.poll() is not None:
                        orphans.add(w.worker_id)
                if scheduler is not None and not signals_seen:
                    if orphans is not None:
                        orphans.settle()
                    scheduler.tick()
                    close_old_connections()  # the supervisor holds no connection between ticks
                for w in workers:
                    if w.process.poll() is not None and not signals_seen \
                            and time.monotonic() - w.started_at > RESTART_DELAY_SECONDS:
                        self.stderr.write(_("The task worker exited (%(code)s); starting it again.")
                                          % {"code": w.process.returncode})
                        w.start(next(names))
        finally:
            for w in workers:
                if w.process.poll() is None and not signals_seen:
                    w.process.send_signal(signal.SIGTERM)
            for w in workers:
                try:
                    w.process.wait(timeout=WORKER_STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    w.process.kill()
                    w.process.wait()
                    orphans.add(w.worker_id)  # killed in the middle of a task
            if orphans is not None and orphans.gone:
                orphans.settle()
                close_old_connections()
            if web.poll() is None:  # only when this loop itself failed
                web.kill()
                web.wait()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return code


class _Worker:
    """One task worker child: its command and, as it is restarted, its current process and id."""

    def __init__(self, argv: list[str], worker_id: str):
        self.argv = argv
        self.start(worker_id)
        self.started_at = 0.0  # the first restart needs no delay

    def start(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.process = _start([*self.argv, "--worker-id", worker_id])
        self.started_at = time.monotonic()
