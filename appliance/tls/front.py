"""The HTTPS front: TLS on the LAN port (8443 by default), each connection handed as bytes to the
panel on loopback, so waitress, the event server and every page work unchanged behind it. It runs
its own asyncio loop in a thread; a stalled client costs a coroutine, never a thread.

Connections reach the panel from 127.0.0.1, each request with the real client's address in
``X-Motcua-Client`` (one request per connection: :func:`tell_client`), which the panel believes only
from loopback (``appliance.web.edge.FrontClient``): the login backoff, the audit log and the
health rule see the machine on the LAN, not the front. The panel redirects plain HTTP from any
other address to this port, so on the LAN everything goes over TLS.
"""
from __future__ import annotations

import asyncio
import logging
import ssl
import threading
from pathlib import Path

log = logging.getLogger(__name__)
CHUNK = 64 * 1024


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError, OSError):
        pass
    finally:
        try:
            writer.close()
        except (ConnectionError, OSError, RuntimeError):
            pass


CLIENT_HEADER = b"X-Motcua-Client"


def tell_client(head: bytes, peer: str) -> bytes:
    """The first request's header block with the client's address added (``X-Motcua-Client``, see
    ``appliance.web.edge.FrontClient``) and ``Connection: close``: one request per connection, so
    every request the panel gets through this front carries the address of the machine that sent it.
    The client's own ``X-Motcua-Client`` and ``Connection`` lines are dropped."""
    lines = head[:-4].split(b"\r\n")
    kept = [lines[0]] + [line for line in lines[1:]
                         if line.split(b":", 1)[0].strip().lower() not in (CLIENT_HEADER.lower(), b"connection")]
    kept += [CLIENT_HEADER + b": " + peer.encode("ascii", "replace"), b"Connection: close"]
    return b"\r\n".join(kept) + b"\r\n\r\n"


class TlsFront:
    def __init__(self, cert: Path, key: Path, port: int, backend_port: int, host: str = "0.0.0.0",
                 backend_host: str = "127.0.0.1"):
        self.ctx = server_context(cert, key)
        self.host, self.port = host, port
        self.backend = (backend_host, backend_port)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="motcua-tls", daemon=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = (writer.get_extra_info("peername") or ("?",))[0]
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ssl.SSLError, OSError):
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.backend)
        except OSError as exc:
            log.warning("HTTPS: bảng điều khiển không trả lời ở %s:%s: %s", *self.backend, exc)
            writer.close()
            return
        up_writer.write(tell_client(head, peer))
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True)

    async def _serve(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port, ssl=self.ctx,
                                                  ssl_handshake_timeout=30)
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        async with self._server:
            await self._server.serve_forever()

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._serve())
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # reported to start(): a port in use, a bad key
            self._error = exc
            self._ready.set()
        finally:
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            if pending:
                self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.close()

    def start(self, timeout_s: float = 30.0) -> TlsFront:
        self._thread.start()
        self._ready.wait(timeout_s)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        loop, server = self._loop, self._server
        def close() -> None:
            if server is not None:
                server.close()
            for task in asyncio.all_tasks(loop):   # open connections (an event stream) end too
                task.cancel()
        if loop is not None and server is not None:
            try:
                loop.call_soon_threadsafe(close)
            except RuntimeError:   # the loop already ended
                pass
        self._thread.join(timeout=10)
