"""The event server: every open event stream on one asyncio loop, in one thread.

A stream costs a socket and a few kilobytes, never a request thread. :meth:`EventServer.adopt`
takes a connected socket whose request (a stream URL) waitress has read, with its WSGI environ:

1. over the cap (``[web] stream_limit``) it answers ``503`` with ``Retry-After`` and a Vietnamese
   message (English with ``Accept-Language: en``) and closes;
2. otherwise it runs the Flask app for that request on a small pool of its own (two threads, not
   waitress's), so authentication, roles, errors and headers are the app's own; a view that
   streams leaves a :class:`~appliance.live.streams.StreamSpec` in ``environ["motcua.stream"]``;
3. it writes the app's status and headers, then the spec's frames and every accepted bus event as
   it happens, a heartbeat every ``heartbeat_s``, until the client goes.

A client that closes is noticed at once (the loop reads its socket: end of file), one that
vanishes (cable pulled) within ~20 s (TCP keepalive and ``TCP_USER_TIMEOUT``), and one that stops
reading loses events by its spec's overflow rule and is dropped after ``stall_s``.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from ..events import Event, EventBus
from .streams import PING, Inbox, RenderCache, StreamSpec, start_frames

log = logging.getLogger(__name__)

ENVIRON_FLAG = "motcua.event_server"   # set in the environ of a request the event server serves
ENVIRON_SPEC = "motcua.stream"         # where a streaming view leaves its StreamSpec
FULL_MESSAGES = {
    "vi": "Máy chủ đang phục vụ quá nhiều màn hình theo dõi trực tiếp ({limit}); màn hình này sẽ "
          "tự kết nối lại sau {retry} giây. Nếu thường xuyên gặp, hãy tăng [web] stream_limit.",
    "en": "Too many live streams are open ({limit}); this screen reconnects by itself in {retry} s. "
          "If this happens often, raise [web] stream_limit.",
}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


def call_app(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Run a WSGI app to the end: (status, headers, body)."""
    captured: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
        captured["status"], captured["headers"] = status, headers
        return chunks.append

    result = app(environ, start_response)
    try:
        for chunk in result:
            chunks.append(chunk)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured["status"], captured["headers"], b"".join(chunks)


def response_head(status: str, headers: list[tuple[str, str]], length: int | None) -> bytes:
    lines = [f"HTTP/1.1 {status}"]
    lines += [f"{k}: {v}" for k, v in headers if k.lower() not in ("content-length", "connection")]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def keep_alive_probes(sock: socket.socket) -> None:
    """Notice a vanished client (no FIN) in about 20 s instead of TCP's default hours/minutes."""
    options: list[tuple[int, int, int]] = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    for name, value in (("TCP_KEEPIDLE", 10), ("TCP_KEEPINTVL", 5), ("TCP_KEEPCNT", 2),
                        ("TCP_USER_TIMEOUT", 20_000)):
        if hasattr(socket, name):
            options.append((socket.IPPROTO_TCP, getattr(socket, name), value))
    for level, option, value in options:
        with contextlib.suppress(OSError):
            sock.setsockopt(level, option, value)


HIGH_WATER = 64 * 1024  # bytes waiting in a stream's socket buffer before it counts as stuck
TICK_S = 1.0


class Stream:
    def __init__(self, spec: StreamSpec, writer: asyncio.StreamWriter, now: float):
        self.spec = spec
        self.inbox = Inbox(spec)
        self.writer = writer
        self.last_write = now
        self.blocked_since: float | None = None
        self.ended: asyncio.Future = asyncio.get_running_loop().create_future()


class EventServer:
    def __init__(self, app: WsgiApp, bus: EventBus, limit: int = 500, retry_after_s: int = 10,
                 stall_s: float = 60.0, workers: int = 2, heartbeat_s: float | None = None):
        self.app = app
        self.bus = bus
        self.limit = limit
        self.retry_after_s = retry_after_s
        self.stall_s = stall_s
        self.heartbeat_s = heartbeat_s  # when set, instead of each spec's own
        self.streams: set[Stream] = set()
        self.opening = 0
        self.refused = 0
        self._tasks: set[asyncio.Task] = set()
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="motcua-streams")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._ready = threading.Event()
        self._closing = False
        self._cache = RenderCache()

    # --- life cycle (any thread) ------------------------------------------------------------
    def start(self) -> EventServer:
        self._thread = threading.Thread(target=self._run, name="motcua-events", daemon=True)
        self._thread.start()
        self._ready.wait()
        self._unsubscribe = self.bus.subscribe(self._published)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """End every stream (their clients reconnect to the next process) and the loop."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        loop = self._loop
        if loop is not None and loop.is_running():
            with contextlib.suppress(RuntimeError, TimeoutError, concurrent.futures.CancelledError):
                asyncio.run_coroutine_threadsafe(self._close_all(), loop).result(timeout)
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def adopt(self, sock: socket.socket, environ: dict[str, Any]) -> None:
        """Serve the stream request read on ``sock`` (called from waitress's loop thread)."""
        loop = self._loop
        if loop is None or not loop.is_running():
            sock.close()
            return
        loop.call_soon_threadsafe(self._spawn, sock, environ)

    def count(self) -> int:
        return len(self.streams)

    # --- the loop's thread ----------------------------------------------------------------
    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._ready.set)
        self._loop.call_soon(self._tick)
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    def _published(self, event: Event) -> None:  # on the publisher's thread: only hand it over
        loop = self._loop
        if loop is not None and self.streams:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(self._fanout, event)

    def _fanout(self, event: Event) -> None:
        """Hand one event to every stream that wants it and write it at once where the socket
        takes it (no task switch per stream: 200 displays cost one pass of this loop)."""
        now = time.monotonic()
        for stream in self.streams:
            try:
                wanted = stream.spec.wants(event)
            except Exception:  # a broken filter skips that stream only
                log.exception("stream filter failed on %s", event.type)
                continue
            if wanted:
                stream.inbox.put(event)
                self._flush(stream, now)

    def _flush(self, stream: Stream, now: float) -> None:
        transport = stream.writer.transport
        if transport.is_closing():
            return
        if transport.get_write_buffer_size() > HIGH_WATER:
            if stream.blocked_since is None:  # the client stopped reading: keep events (bounded)
                stream.blocked_since = now
            return
        stream.blocked_since = None
        if stream.inbox.items or stream.inbox.overflowed:
            transport.write("".join(stream.inbox.take(self._cache)).encode())
            stream.last_write = now

    def _tick(self) -> None:
        """Every second: heartbeats, leftovers of clients that were slow, and the end of clients
        stuck for ``stall_s``."""
        now = time.monotonic()
        for stream in list(self.streams):
            if stream.ended.done():
                continue
            self._flush(stream, now)
            if stream.blocked_since is not None and now - stream.blocked_since > self.stall_s:
                stream.ended.set_result("stalled")
            elif (stream.blocked_since is None
                  and now - stream.last_write >= (self.heartbeat_s or stream.spec.heartbeat_s)):
                stream.writer.transport.write(PING.encode())
                stream.last_write = now
        if self._loop is not None and not self._closing:
            self._loop.call_later(TICK_S, self._tick)

    def _spawn(self, sock: socket.socket, environ: dict[str, Any]) -> None:
        task = asyncio.ensure_future(self._serve(sock, environ))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _close_all(self) -> None:
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, sock: socket.socket, environ: dict[str, Any]) -> None:
        keep_alive_probes(sock)
        try:
            reader, writer = await asyncio.open_connection(sock=sock)
        except OSError:
            sock.close()
            return
        try:
            if len(self.streams) + self.opening >= self.limit:
                self.refused += 1
                await self._refuse(writer, environ)
                return
            self.opening += 1
            try:
                environ[ENVIRON_FLAG] = True
                status, headers, body = await asyncio.get_running_loop().run_in_executor(
                    self._pool, call_app, self.app, environ)
            finally:
                self.opening -= 1
            spec = environ.get(ENVIRON_SPEC)
            if not isinstance(spec, StreamSpec) or not status.startswith("200"):
                writer.write(response_head(status, headers, len(body)) + body)
                await asyncio.wait_for(writer.drain(), self.stall_s)
                return
            await self._stream(spec, status, headers, reader, writer)
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            pass  # the client went away or stopped reading
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("event stream failed")
        finally:
            await self._close(writer)

    async def _close(self, writer: asyncio.StreamWriter) -> None:
        """Close after what is written has left; a client that reads nothing more (or the server
        stopping) gets its connection cut instead of holding the close."""
        if self._closing:
            writer.transport.abort()
            return
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), self.stall_s)
        except (Exception, asyncio.CancelledError):
            writer.transport.abort()

    async def _refuse(self, writer: asyncio.StreamWriter, environ: dict[str, Any]) -> None:
        lang = "en" if environ.get("HTTP_ACCEPT_LANGUAGE", "").lower().startswith("en") else "vi"
        message = FULL_MESSAGES[lang].format(limit=self.limit, retry=self.retry_after_s)
        body = json.dumps({"error": {"code": "too_many_streams", "message": message, "field": None}},
                          ensure_ascii=False).encode()
        writer.write(response_head("503 Service Unavailable", [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Retry-After", str(self.retry_after_s)), ("Cache-Control", "no-store")], len(body)) + body)
        await asyncio.wait_for(writer.drain(), self.stall_s)

    async def _stream(self, spec: StreamSpec, status: str, headers: list[tuple[str, str]],
                      reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stream = Stream(spec, writer, time.monotonic())
        self.streams.add(stream)  # subscribed before the replay is read: no event falls between
        try:
            first = start_frames(spec, self.bus, stream.inbox)
            writer.write(response_head(status, headers, None) + "".join(first).encode())
            gone = asyncio.ensure_future(self._until_closed(reader))
            try:
                await asyncio.wait((gone, stream.ended), return_when=asyncio.FIRST_COMPLETED)
            finally:
                gone.cancel()
                await asyncio.gather(gone, return_exceptions=True)
        finally:
            self.streams.discard(stream)

    @staticmethod
    async def _until_closed(reader: asyncio.StreamReader) -> None:
        """Returns when the client closes its end (it sends nothing else on a stream)."""
        while await reader.read(4096):
            pass
