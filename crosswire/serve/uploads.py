"""The ingest pages and API: give files (multipart) or URLs, follow the job, read its rejections.

``POST /ingest`` (token required) takes ``multipart/form-data`` with any number of ``files`` and an
optional ``urls`` field (one URL per line; a form without files may be url-encoded), or JSON
``{"urls": [...]}``; it answers 202 with the job
and its path. ``GET /ingest`` lists the jobs (and has the form), ``GET /ingest/jobs/{id}`` shows one:
its state (queued, running, finished, failed), the stage it is in, its counts, the stories it made
or joined and every rejection with its reason. Each page is also JSON (path + ``.json``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from crosswire.errors import UsageError
from crosswire.serve.jobs import MAX_FILES, Jobs, http_urls
from crosswire.serve.writes import DEFAULT_WHO, Context

MAX_UPLOAD_BYTES = 1024 * 1024 * 1024  # one request's body
_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                      "description": "Files to ingest (any format `crosswire ingest` reads; the extension tells which)."},
            "urls": {"type": "string", "description": "http(s) URLs to fetch, one per line."},
            "by": {"type": "string", "description": "Who asks (recorded on the job)."}}}},
        "application/json": {"schema": {"type": "object", "properties": {
            "urls": {"type": "array", "items": {"type": "string"}}, "by": {"type": "string"}}}},
    },
}


def _job_path(job_id: str) -> str:
    return f"/ingest/jobs/{job_id}"


def router(ctx: Context, jobs: Jobs) -> APIRouter:
    """The ingest routes of the app."""
    from crosswire.serve.app import wants_json
    from crosswire.serve.views import NotFound

    api = APIRouter()

    @api.get("/ingest", tags=["ingest"], summary="The ingest jobs of this server, newest first (and the form)",
             response_model=None)
    @api.get("/ingest.json", tags=["ingest"], summary="The ingest jobs as JSON", response_model=None)
    def list_jobs(request: Request) -> Response:
        data = {"jobs": jobs.listed()}
        if wants_json(request):
            return JSONResponse(data)
        return ctx.page(request, "ingest.html", data)

    @api.post("/ingest", tags=["ingest"], status_code=202, openapi_extra={"requestBody": _BODY},
              summary="Ingest uploaded files and/or URLs in the background (ingest, analyze, group, cross-check)")
    async def start_job(request: Request) -> JSONResponse:
        ctx.authorize(request)  # before the body is read
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_UPLOAD_BYTES:
            return _too_large(length)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        files: list[tuple[str, Any]] = []
        if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.form(max_files=MAX_FILES, max_fields=100)
            try:
                urls = http_urls("\n".join(str(v) for v in form.getlist("urls") if isinstance(v, str)))
                by = str(form.get("by") or "").strip()[:100]
                uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
                files = [(f.filename or "upload", f.file) for f in uploads if f.filename or (f.size or 0) > 0]
                job = await run_in_threadpool(jobs.submit, files, urls, by or DEFAULT_WHO)
            finally:
                await form.close()
        elif kind == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise UsageError("the request body is not JSON") from None
            if not isinstance(body, dict) or not isinstance(body.get("urls", []), list) \
                    or not all(isinstance(u, str) for u in body.get("urls", [])):
                raise UsageError('the JSON body must be {"urls": ["https://...", ...], "by": "..."}')
            urls = http_urls("\n".join(u.replace("\n", " ") for u in body.get("urls", [])))
            by = str(body.get("by") or "").strip()[:100]
            job = await run_in_threadpool(jobs.submit, [], urls, by or DEFAULT_WHO)
        else:
            raise UsageError(f"send multipart/form-data (files, urls) or application/json (urls), not {kind or 'nothing'}")
        return JSONResponse({"job": job.to_dict(), "url": _job_path(job.id)}, status_code=202,
                            headers={"Location": _job_path(job.id)})

    @api.get("/ingest/jobs/{ref}", tags=["ingest"], response_model=None,
             summary="One ingest job: state, stage, counts, stories, rejections with their reasons")
    def show_job(request: Request, ref: str) -> Response:
        job_id = ref[: -len(".json")] if ref.endswith(".json") else ref
        data = jobs.view(job_id)
        if data is None:
            raise NotFound(f"no ingest job {job_id!r} on this server (jobs live in its memory: a restart forgets them)")
        if wants_json(request, ref):
            return JSONResponse(data)
        return ctx.page(request, "job.html", data)

    return api


def _too_large(length: str) -> JSONResponse:
    return JSONResponse({"error": {"status": 413, "code": "too_large", "message":
                                   f"the upload is {int(length)} bytes; at most {MAX_UPLOAD_BYTES} in one request"}},
                        status_code=413)
