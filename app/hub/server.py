"""The hub's HTTP API and dashboard (FastAPI).

POST /api/v1/events   gzip JSON batch {terminal_id, batch_id, sent_at, events[...]}, Bearer token
GET  /api/v1/stats    the network report as JSON (?from=YYYY-MM-DD&to=…&hall=ID)
GET  /                the dashboard (HTML, no external resources)
GET  /healthz         liveness
"""
from __future__ import annotations

import html
import json
import zlib
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from app.events.schema import EventError, parse_ts, validate_envelope
from app.events.stats import parse_day
from app.hub.network import network_report
from app.hub.storage import HubError, HubStore

MAX_BODY_BYTES = 8 * 1024 * 1024  # compressed body
MAX_JSON_BYTES = 64 * 1024 * 1024  # after gunzip (protects against gzip bombs)
MAX_EVENTS = 50_000


class PayloadError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def parse_batch(body: bytes, encoding: str, max_json: int = MAX_JSON_BYTES,
                max_events: int = MAX_EVENTS) -> dict[str, Any]:
    """Decompress and check a batch; raise PayloadError(413|422, message)."""
    if encoding == "gzip":
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = d.decompress(body, max_json + 1)
        except zlib.error as exc:
            raise PayloadError(422, f"body: not valid gzip ({exc})") from None
        if len(raw) > max_json:
            raise PayloadError(413, f"body: more than {max_json // (1024 * 1024)} MB once decompressed; "
                                    f"send smaller batches (sync.batch_size)")
        if not d.eof:
            raise PayloadError(422, "body: gzip stream is truncated")
    elif encoding in ("", "identity"):
        raw = body
    else:
        raise PayloadError(422, f"Content-Encoding: unsupported {encoding!r} (use gzip)")
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(422, f"body: not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise PayloadError(422, "body: expected a JSON object {terminal_id, batch_id, events}")
    for key in ("terminal_id", "batch_id"):
        if not isinstance(doc.get(key), str) or not doc[key] or len(doc[key]) > 128:
            raise PayloadError(422, f"body.{key}: expected text of 1 to 128 characters")
    events = doc.get("events")
    if not isinstance(events, list):
        raise PayloadError(422, "body.events: expected a list")
    if len(events) > max_events:
        raise PayloadError(413, f"body.events: {len(events)} events, at most {max_events} per batch")
    try:
        doc["events"] = [validate_envelope(e, f"events[{i}]") for i, e in enumerate(events)]
        if doc.get("sent_at") is not None:
            doc["sent_at_dt"] = parse_ts(doc["sent_at"], "body.sent_at")
    except EventError as exc:
        raise PayloadError(422, str(exc)) from None
    return doc


def create_app(store: HubStore, max_body_bytes: int = MAX_BODY_BYTES, max_json_bytes: int = MAX_JSON_BYTES,
               max_events: int = MAX_EVENTS) -> FastAPI:
    """The hub application over an open HubStore."""
    app = FastAPI(title="Hongtu hub", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store

    @app.post("/api/v1/events")
    async def post_events(request: Request) -> JSONResponse:
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        terminal = await run_in_threadpool(store.authenticate, token) if token else None
        if terminal is None:
            return _error(401, "unknown terminal or bad token (register it with `hongtu hub add-terminal`)")
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_body_bytes:
            return _error(413, f"body: {int(length)} bytes, the hub accepts at most {max_body_bytes} per request; "
                               f"send smaller batches (sync.batch_size)")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body_bytes:
                return _error(413, f"body: more than {max_body_bytes} bytes; send smaller batches (sync.batch_size)")
            chunks.append(chunk)
        try:
            doc = await run_in_threadpool(parse_batch, b"".join(chunks),
                                          request.headers.get("content-encoding", "").lower(), max_json_bytes,
                                          max_events)
        except PayloadError as exc:
            return _error(exc.status, str(exc))
        if doc["terminal_id"] != terminal:
            return _error(401, f"body.terminal_id: {doc['terminal_id']!r} does not match the token's terminal")
        skew = None
        if "sent_at_dt" in doc:
            skew = round((datetime.now(timezone.utc) - doc["sent_at_dt"]).total_seconds(), 3)
        ack = await run_in_threadpool(store.ingest, terminal, doc["batch_id"], doc["events"], "net", skew)
        return JSONResponse(ack.as_dict())

    def _report(request: Request) -> dict[str, Any]:
        p = request.query_params
        return network_report(store, parse_day(p.get("from"), "from"), parse_day(p.get("to"), "to"),
                              p.get("hall") or None)

    @app.get("/api/v1/stats")
    def get_stats(request: Request) -> JSONResponse:
        try:
            return JSONResponse(_report(request))
        except (EventError, HubError) as exc:
            return _error(422, str(exc))

    @app.get("/", response_class=HTMLResponse)
    def dashboard(request: Request) -> HTMLResponse:
        from app.hub.dashboard import render

        try:
            return HTMLResponse(render(_report(request)))
        except (EventError, HubError) as exc:
            return HTMLResponse(f"<!doctype html><p>{html.escape(str(exc))}</p><p><a href='/'>back</a></p>", status_code=422)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
