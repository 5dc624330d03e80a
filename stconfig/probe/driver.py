"""Drive one real `streamlit run` without a browser and report what happened, as JSON on stdout.

A standalone script for the target interpreter (no stconfig imports; Streamlit >= 1.21, served by
tornado or by Starlette with the `websockets` package):

    python driver.py --port P --timeout SECONDS -- APP.py [STREAMLIT RUN ARGS...]

It starts `python -m streamlit run APP.py ARGS...` in its own working directory and environment,
polls `/_stcore/health`, connects to `/_stcore/stream`, asks for one script run and reads the
`ForwardMsg`s up to `script_finished`. The server shares this process's group, so whoever started
the driver in a new session stops both with one signal. Output:
{"status": "ok" | "exited" | "timeout" | "error", "phase", "message", "exceptions": [type...],
"exception_messages": [message...] (in the same order), "finished": bool, "log": last server
lines}.
"""

from __future__ import annotations

import argparse
import importlib
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

_POLL_SECONDS = 0.02


class _Failure(Exception):
    def __init__(self, status: str, phase: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.phase = phase
        self.message = message


def _wait_healthy(server: subprocess.Popen[bytes], port: int, deadline: float) -> None:
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while True:
        code = server.poll()
        if code is not None:
            raise _Failure("exited", "start", f"streamlit run exited with code {code}")
        try:
            with urllib.request.urlopen(url, timeout=max(0.05, deadline - time.monotonic())) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() >= deadline:
            raise _Failure("timeout", "start", "the server did not answer /_stcore/health")
        time.sleep(_POLL_SECONDS)


def _rerun_message() -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.rerun_script.query_string = ""
    return message.SerializeToString()  # type: ignore[no-any-return]


class _Reader:
    """Collects exception types from `ForwardMsg`s; says when the script run has finished."""

    def __init__(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._forward_msg = ForwardMsg
        self.exceptions: list[str] = []
        self.exception_messages: list[str] = []

    def feed(self, data: bytes) -> bool:
        message = self._forward_msg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "exception":
                self.exceptions.append(element.exception.type)
                self.exception_messages.append(element.exception.message)
        return kind == "script_finished"


def _exchange_websockets(url: str, reader: _Reader, deadline: float) -> None:
    from websockets.sync.client import connect

    with connect(url, subprotocols=["streamlit"], open_timeout=_left(deadline)) as socket:  # type: ignore[list-item]
        socket.send(_rerun_message())
        while True:
            data = socket.recv(timeout=_left(deadline))
            if isinstance(data, bytes) and reader.feed(data):
                return


def _exchange_tornado(url: str, reader: _Reader, deadline: float) -> None:
    # Imported by name: tornado is there only where Streamlit serves with it (and mypy lacks it).
    httpclient = importlib.import_module("tornado.httpclient")
    ioloop = importlib.import_module("tornado.ioloop")
    websocket = importlib.import_module("tornado.websocket")

    async def exchange() -> None:
        request = httpclient.HTTPRequest(
            url, connect_timeout=_left(deadline), request_timeout=_left(deadline)
        )
        socket = await websocket.websocket_connect(request, subprotocols=["streamlit"])
        try:
            await socket.write_message(_rerun_message(), binary=True)
            while True:
                data = await socket.read_message()
                if data is None:
                    raise _Failure("error", "run", "the server closed the WebSocket")
                if isinstance(data, bytes) and reader.feed(data):
                    return
        finally:
            socket.close()

    ioloop.IOLoop.current().run_sync(exchange, timeout=_left(deadline))


def _left(deadline: float) -> float:
    return max(0.01, deadline - time.monotonic())


def _exchange() -> Callable[[str, _Reader, float], None]:
    """Streamlit's own WebSocket library: `websockets` beside Starlette, else tornado."""
    try:
        import websockets.sync.client  # noqa: F401
    except ImportError:
        return _exchange_tornado
    return _exchange_websockets


def _log_tail(path: str | None, lines: int = 15) -> str:
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return ""


def _drive(args: argparse.Namespace) -> dict[str, Any]:
    deadline = time.monotonic() + args.timeout
    log = open(args.log, "wb") if args.log else subprocess.DEVNULL  # noqa: SIM115
    command = [sys.executable, "-m", "streamlit", "run", *args.run_args]
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    result: dict[str, Any] = {"status": "ok", "phase": None, "message": None}
    reader: _Reader | None = None
    try:
        # Importing protobuf and the WebSocket library overlaps with the server's start.
        exchange = _exchange()
        reader = _Reader()
        _rerun_message()
        _wait_healthy(server, args.port, deadline)
        url = f"ws://127.0.0.1:{args.port}/_stcore/stream"
        try:
            exchange(url, reader, deadline)
        except _Failure:
            raise
        except Exception as error:
            if time.monotonic() >= deadline:
                raise _Failure("timeout", "run", "the script run did not finish") from error
            if server.poll() is not None:
                raise _Failure("exited", "run", "the server stopped during the run") from error
            raise _Failure("error", "run", f"{type(error).__name__}: {error}") from error
        result["finished"] = True
    except _Failure as failure:
        result.update(status=failure.status, phase=failure.phase, message=failure.message)
        result["finished"] = False
    finally:
        # Nothing of the server's is worth a graceful shutdown: stop it now.
        if server.poll() is None:
            server.send_signal(signal.SIGKILL)
        server.wait()
        if log is not subprocess.DEVNULL:
            log.close()  # type: ignore[union-attr]
    result["exceptions"] = reader.exceptions if reader else []
    result["exception_messages"] = reader.exception_messages if reader else []
    if result["status"] != "ok":
        result["log"] = _log_tail(args.log)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(prog="driver.py")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--log", help="file for the server's stdout and stderr")
    parser.add_argument("run_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.run_args[:1] == ["--"]:
        args.run_args = args.run_args[1:]
    result = _drive(args)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
