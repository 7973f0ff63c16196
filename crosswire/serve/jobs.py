"""Ingest from the server: upload files or give URLs; the real pipeline (ingest -> analyze -> group ->
cross-check, as ``crosswire run``) runs in a background worker of the server process, one job at a
time, in the order they came.

A job's uploads are kept beside the store, in ``NAME.uploads/JOB/`` for the store ``NAME.db`` (each
article's ``source`` names the file it was read from, so it must stay). URLs go through the same
fetcher as ``crosswire ingest URL`` (its SSRF guard refuses private, loopback and link-local addresses
unless the server was started with ``--allow-private``); only http(s) URLs are taken, never a local
path. The job runs in one process (``workers = 1``: no process pool is forked from the server's
threads). A job holds the server's ``pipeline_lock`` from its ingest to its cross-check, so it never
runs beside the watch of ``serve --watch`` (:mod:`.watching`), and its grouping holds ``write_lock``
as merges and splits do. Jobs live in the server's memory (the last :data:`KEEP` of them); what they did is also
recorded in the store's ``runs`` like every run.
"""

from __future__ import annotations

import queue
import re
import secrets
import shutil
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from crosswire.config import Settings
from crosswire.errors import CrosswireError, UsageError
from crosswire.progress import Progress
from crosswire.times import utcnow_iso

KEEP = 200  # finished jobs remembered
MAX_FILES = 1000  # files in one upload
MAX_URLS = 1000  # URLs in one job
STATES = ("queued", "running", "finished", "failed")


@dataclass
class Job:
    """One ingest job: what it was given, where it is, and what each stage did."""

    id: str
    by: str
    inputs: list[dict[str, Any]]
    paths: list[str]
    folder: str | None
    state: str = "queued"
    phase: str = "waiting"
    done: int = 0
    total: int | None = None
    created_at: str = field(default_factory=utcnow_iso)
    started_at: str | None = None
    finished_at: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "phase": self.phase, "done": self.done, "total": self.total,
                "by": self.by, "inputs": self.inputs, "created_at": self.created_at, "started_at": self.started_at,
                "finished_at": self.finished_at, "counts": dict(self.counts), "rejected": list(self.rejected),
                "warnings": list(self.warnings), "stories": list(self.stories), "runs": list(self.runs),
                "error": self.error}


class JobProgress(Progress):
    """The pipeline's progress, kept on the job (read by the job's page while it runs)."""

    def __init__(self, job: Job, lock: threading.Lock) -> None:
        self.job, self.lock = job, lock

    def start(self, description: str, total: int | None = None) -> None:
        with self.lock:
            self.job.phase, self.job.total, self.job.done = description, total, 0

    def advance(self, n: int = 1) -> None:
        with self.lock:
            self.job.done += n


def http_urls(text: str) -> list[str]:
    """The URLs of ``text`` (one per line; blank lines and ``#`` comments skipped), each checked to be
    an http(s) URL with a host: a clear error names the first that is not."""
    urls = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parts = urlsplit(line)
            ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
        except ValueError:
            ok = False
        if not ok:
            raise UsageError(f"line {n} of urls, {line[:200]!r}, is not an http(s) URL with a host; the server "
                             "fetches only http(s) URLs (upload files instead)")
        urls.append(line)
    if len(urls) > MAX_URLS:
        raise UsageError(f"{len(urls)} URLs in one job; at most {MAX_URLS}")
    return urls


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, n: int) -> str:
    """An uploaded file's name as saved: its last path part, only ``A-Z a-z 0-9 . _ -``, numbered so
    that two uploads of one name stay apart, never hidden (``.x``) nor empty. The extension is kept:
    it tells ingest the format."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE.sub("_", base).strip("._")[:120] or "upload"
    return f"{n:04d}-{base}"


def uploads_folder(db: str) -> Path:
    """Where a store's uploads are kept: ``NAME.uploads`` beside the store ``NAME.db``."""
    path = Path(db)
    return path.with_name(path.stem + ".uploads")


class Jobs:
    """The ingest jobs of one server, and the worker thread that runs them in order."""

    def __init__(self, db: str, settings: Settings, write_lock: threading.Lock,
                 on_change: Any = None, pipeline_lock: threading.Lock | None = None) -> None:
        self.db = db
        self.settings = replace(settings, db=db, workers=1)
        self.write_lock = write_lock
        self.pipeline_lock = pipeline_lock or threading.Lock()  # one pipeline (a job, a watch batch) at a time
        self.on_change = on_change
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ asking
    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def view(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else job.to_dict()

    def listed(self) -> list[dict[str, Any]]:
        """Every job remembered, newest first."""
        with self._lock:
            return [j.to_dict() for j in sorted(self._jobs.values(), key=lambda j: j.created_at, reverse=True)]

    def running(self) -> int:
        with self._lock:
            return sum(j.state in ("queued", "running") for j in self._jobs.values())

    # ------------------------------------------------------------ submitting
    def submit(self, files: list[tuple[str, BinaryIO]], urls: list[str], by: str) -> Job:
        """Save the uploads, queue the job; returns it."""
        if not files and not urls:
            raise UsageError("nothing to ingest: upload files (field `files`) or give URLs (field `urls`, one per "
                             "line)")
        if len(files) > MAX_FILES:
            raise UsageError(f"{len(files)} files in one upload; at most {MAX_FILES}")
        job_id = secrets.token_hex(8)
        inputs: list[dict[str, Any]] = []
        paths: list[str] = []
        folder = None
        if files:
            target = uploads_folder(self.db) / job_id
            try:
                target.mkdir(parents=True, exist_ok=False)
            except OSError as exc:
                raise CrosswireError(f"cannot keep the uploads in {target.parent}: {exc.strerror or exc}; the "
                                     "server needs to write beside its store to ingest uploads") from None
            folder = str(target)
            try:
                for n, (name, stream) in enumerate(files, 1):
                    saved = target / safe_name(name, n)
                    size = _copy(stream, saved, self.settings.max_file_bytes)
                    inputs.append({"kind": "file", "name": name, "saved": saved.name, "bytes": size})
                    paths.append(str(saved))
            except OSError as exc:
                shutil.rmtree(target, ignore_errors=True)
                raise CrosswireError(f"cannot save the upload in {target}: {exc.strerror or exc}") from None
        for url in urls:
            inputs.append({"kind": "url", "url": url})
            paths.append(url)
        job = Job(id=job_id, by=by, inputs=inputs, paths=paths, folder=folder)
        with self._lock:
            self._jobs[job_id] = job
            self._forget_old()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="crosswire-ingest-jobs", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def _forget_old(self) -> None:
        done = sorted((j for j in self._jobs.values() if j.state in ("finished", "failed")), key=lambda j: j.created_at)
        for j in done[: max(0, len(done) - KEEP)]:
            del self._jobs[j.id]

    # ------------------------------------------------------------ running
    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self.run(job)

    def run(self, job: Job) -> None:
        """Run one job's pipeline (in the calling thread, once no other pipeline of the server runs);
        its state says how it ended."""
        with self.pipeline_lock:
            with self._lock:
                job.state, job.started_at = "running", utcnow_iso()
            self._run(job)

    def _run(self, job: Job) -> None:
        from crosswire.extract.analyze import analyze
        from crosswire.ingest.pipeline import ingest
        from crosswire.run import group_and_check
        from crosswire.store import Store

        progress = JobProgress(job, self._lock)
        store = None
        try:
            store = Store(self.db)
            summary = ingest(job.paths, store, self.settings, progress=progress)
            with self._lock:
                job.counts.update(read=summary.read, stored=summary.stored, unchanged=summary.unchanged,
                                  duplicates=summary.duplicates, updated=summary.updated,
                                  rejected=len(summary.rejected))
                job.rejected = [self._shown(r.source, r.reason, r.detail) for r in summary.rejected]
                job.warnings = [self._shown(r.source, r.reason, r.detail) for r in summary.warnings]
                job.runs.append(summary.run_id or 0)
            analysis = analyze(store, self.settings, progress=progress)
            with self._lock:
                job.counts.update(analyzed=analysis.analyzed, facts=analysis.facts, skipped=len(analysis.skipped))
                job.runs.append(analysis.run_id or 0)
            with self.write_lock:  # not beside a merge or split of the server: grouping moves articles too
                grouping, checked = group_and_check(store, self.settings, progress=progress)
            stories = _stories_of(store, summary.stored_ids)
            with self._lock:
                job.counts.update(stories=len(stories), crosschecked=checked.computed)
                job.stories = stories
                job.state, job.phase = "finished", "done"
        except CrosswireError as exc:
            self._failed(job, store, str(exc))
        except Exception as exc:  # noqa: BLE001 - the server goes on; the job says what went wrong
            self._failed(job, store, f"internal error: {type(exc).__name__}: {exc}")
        finally:
            if store is not None:
                store.close()
            with self._lock:
                job.finished_at = utcnow_iso()
            if self.on_change is not None:
                self.on_change()

    def _failed(self, job: Job, store: Any, message: str) -> None:
        if store is not None:
            try:
                store.close_runs("failed", message)
            except Exception:  # noqa: BLE001 - the store itself may be what failed; the next writer closes the run
                pass
        with self._lock:
            job.state, job.error = "failed", message

    def _shown(self, source: str, reason: str, detail: str) -> dict[str, str]:
        return {"source": source, "reason": reason, "detail": detail}

    def close(self, timeout: float = 30.0) -> None:
        """Stop the worker after the job it runs (jobs still queued are dropped)."""
        thread = self._thread
        if thread is None:
            return
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        thread.join(timeout=timeout)


def _copy(stream: BinaryIO, to: Path, limit: int) -> int:
    """Copy an upload to ``to``; a file past ``limit`` bytes is cut there and ingest rejects it as too
    large (its reason recorded), as it would the same file given on the command line."""
    size = 0
    with open(to, "wb") as out:
        while True:
            chunk = stream.read(1024 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size > limit + 1:
                out.write(chunk[: max(0, len(chunk) - (size - limit - 1))])
                size = limit + 1
                break
            out.write(chunk)
    return size


def _stories_of(store: Any, article_ids: list[str]) -> list[str]:
    """The active stories that hold these articles now."""
    from crosswire.stories.corrections import resolve_story

    out: list[str] = []
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i:i + 500]
        for (sid,) in store.conn.execute(
                f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({','.join('?' * len(chunk))})",
                chunk):
            home = resolve_story(store, sid)
            if home not in out:
                out.append(home)
    return out

