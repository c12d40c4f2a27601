"""The demo's front door, what nginx is in front of a production Odoo: Odoo
with workers answers HTTP on one port and its websocket (live updates of the
web client) on another, its gevent port. This proxy listens on the port the
user opens and sends each connection to the right one, by the path of its
first request: ``/websocket`` to the gevent port, anything else to HTTP.
"""

import asyncio
import threading

CHUNK = 65536


async def _pipe(reader, writer):
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


class Proxy:
    """``interface:port`` -> ``127.0.0.1:http_port``, or ``gevent_port`` for
    the websocket; runs in a thread of its own until ``stop``."""

    def __init__(self, interface, port, http_port, gevent_port):
        self.address = (interface, port)
        self.http_port, self.gevent_port = http_port, gevent_port
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="proxy", daemon=True)

    async def _connection(self, reader, writer):
        try:
            first = await reader.readline()
            parts = first.split()
            path = parts[1] if len(parts) > 1 else b""
            port = (
                self.gevent_port if path.startswith(b"/websocket") else self.http_port
            )
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        except (ConnectionError, OSError):
            writer.close()
            return
        up_writer.write(first)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    def _run(self):
        asyncio.set_event_loop(self.loop)
        try:
            self.server = self.loop.run_until_complete(
                asyncio.start_server(
                    self._connection, *self.address, reuse_address=True
                )
            )
        except OSError as exc:
            self.error = exc
            return
        finally:
            self.ready.set()
        self.loop.run_forever()

    def start(self):
        self.error = None
        self.thread.start()
        self.ready.wait(10)
        if self.error:
            raise self.error

    def stop(self):
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.server.close)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
