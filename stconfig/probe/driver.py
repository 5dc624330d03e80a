"""Drive one real `streamlit run` without a browser and report what happened, as JSON on stdout.

A standalone script for the target interpreter (no stconfig imports; Streamlit >= 1.21, served by
tornado or by Starlette with the `websockets` package):

    python driver.py --port P --timeout SECONDS [--user-config] [--override KEY=VALUE...]
        -- APP.py [STREAMLIT RUN ARGS...]

It starts `python -m streamlit run APP.py ARGS... --KEY=VALUE...` (the overrides last, so they
win) in its own working directory and environment. With --user-config it meanwhile reads the config
as the user's own `streamlit run APP.py ARGS...` would (Streamlit's own option parsing, config files
and checks, without the overrides): whether that start would fail, and the networking it sets up
(TLS, server.baseUrlPath, server.allowedHosts). It then polls the health endpoint, connects to the
WebSocket, asks for one script run and reads the `ForwardMsg`s up to `script_finished`. The server
shares this process's group, so whoever started the driver in a new session stops both with one
signal. Output:
{"status": "ok" | "exited" | "timeout" | "error", "phase", "message", "exceptions": [type...],
"exception_messages": [message...] (in the same order), "finished": bool, "user_start_error":
str | null, "user_start_unchecked": why it could not be judged (when so), "overridden": [what the
driver overrode on top of --override], "url": the WebSocket URL, named by the Host header sent,
"log": last server lines}.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

_POLL_SECONDS = 0.02
_LOOPBACK = "127.0.0.1"
# A name under a `*.domain` entry of server.allowedHosts.
_WILDCARD_LABEL = "stconfig-probe"
_ALLOWED_HOSTS = "server.allowedHosts"


class _Failure(Exception):
    def __init__(self, status: str, phase: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.phase = phase
        self.message = message


def allowed_host(entries: Sequence[str]) -> str | None:
    """A Host header (without port) that one of the `server.allowedHosts` entries lets through,
    by Streamlit's rule (case-insensitive, trailing dot ignored, `*.domain` and `*`); "" when the
    list is empty (every Host is allowed); None when no entry can be used."""
    if not entries:
        return ""
    for entry in entries:
        pattern = str(entry).strip().lower().rstrip(".")
        if pattern == "*":
            return _LOOPBACK
        if pattern.startswith("*."):
            pattern = _WILDCARD_LABEL + pattern[1:]
        if pattern.startswith("*") or not pattern:
            continue
        host = f"[{pattern}]" if ":" in pattern else pattern  # an IPv6 literal
        if _valid_host(host):
            return host
    return None


def _valid_host(host: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(f"//{host}")
        hostname = parts.hostname
    except ValueError:
        return False
    return bool(hostname) and not (parts.username or parts.path or parts.query or parts.fragment)


@dataclass(frozen=True)
class _Network:
    """How to reach the server: what the user's config sets up, which the probe keeps."""

    tls: bool = False
    base: str = ""  # server.baseUrlPath, as "/path" or ""
    # The Host header to send, "" for the loopback address itself, None when no entry of
    # server.allowedHosts can be sent.
    host: str | None = ""

    def url(self, scheme: str, port: int, path: str, *, named: bool = False) -> str:
        """The URL on the loopback address, or (`named`) with the Host the server is sent."""
        secure = "s" if self.tls else ""
        host = self.host if named and self.host else _LOOPBACK
        return f"{scheme}{secure}://{host}:{port}{self.base}{path}"

    def host_header(self, port: int) -> dict[str, str]:
        return {"Host": f"{self.host}:{port}"} if self.host else {}


def _user_start(run_args: list[str], result: dict[str, Any]) -> _Network:
    """Parse and load the config as `streamlit run RUN_ARGS` would here: why that start fails
    before serving (result["user_start_error"], or None), and the networking its config sets up.
    A Streamlit whose CLI lacks what this needs is not judged (result["user_start_unchecked"])."""
    try:
        import click
        from streamlit import config
        from streamlit.web import bootstrap, cli

        main_run, load, is_set = cli.main_run, bootstrap.load_config_options, config.is_manually_set
    except (ImportError, AttributeError) as missing:
        result["user_start_unchecked"] = f"{type(missing).__name__}: {missing}"
        return _network()
    error = None
    try:
        # Option values come from flags and STREAMLIT_* variables, as click reads them for `run`.
        parent = click.Context(cli.main, info_name="streamlit", auto_envvar_prefix="STREAMLIT")
        context = main_run.make_context("run", list(run_args), parent=parent)
        params = dict(context.params)
        config._main_script_path = os.path.abspath(params.pop("target"))
        params.pop("args", None)
        load(flag_options=params)
        error = _port_error(config, is_set)
    except click.ClickException as refused:
        error = refused.format_message()
    except SystemExit as stop:  # Streamlit's refusal of a secret on the command line
        error = str(stop.code)
    except Exception as problem:  # whatever stops Streamlit stops the user's start
        error = str(problem) or type(problem).__name__
    result["user_start_error"] = error
    return _network()


def _port_error(config: Any, is_set: Callable[[str], bool]) -> str | None:
    """Streamlit exits when a port set by the user cannot be bound (it tries the next port only
    for the default one)."""
    if not is_set("server.port"):
        return None
    port = config.get_option("server.port")
    address = config.get_option("server.address") or ""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((address, int(port)))
    except (OverflowError, ValueError, TypeError) as error:
        return f"server.port {port!r} is not a valid port: {error}"
    except OSError as error:
        import errno

        if error.errno in (errno.EADDRINUSE, errno.EACCES):
            return f"port {port} is not available: {error.strerror}"
    return None


def _network() -> _Network:
    try:
        from streamlit import config

        options = config.get_config_options()
        value = {key: option.value for key, option in options.items()}
    except Exception:  # the config did not load: Streamlit's defaults
        return _Network()
    base = str(value.get("server.baseUrlPath") or "").strip("/")
    host = allowed_host(value.get("server.allowedHosts") or [])
    return _Network(
        tls=bool(value.get("server.sslCertFile")),
        base=f"/{base}" if base else "",
        host="" if host == _LOOPBACK else host,
    )


def _opener() -> Any:
    import ssl
    import urllib.request

    # Our own loopback connection: no proxy, and the user's certificate need not verify.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
    )


def _wait_healthy(
    server: subprocess.Popen[bytes], port: int, network: _Network, deadline: float
) -> None:
    import urllib.error
    import urllib.request

    url = network.url("http", port, "/_stcore/health")
    request = urllib.request.Request(url, headers=network.host_header(port))
    opener = _opener()
    while True:
        code = server.poll()
        if code is not None:
            raise _Failure("exited", "start", f"streamlit run exited with code {code}")
        try:
            with opener.open(request, timeout=max(0.05, deadline - time.monotonic())) as r:
                if r.status == 200:
                    return
        except urllib.error.HTTPError as error:
            if 400 <= error.code < 500:
                raise _Failure("error", "start", f"HTTP {error.code} from {url}") from error
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() >= deadline:
            raise _Failure("timeout", "start", f"the server did not answer {url}")
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


def _exchange_websockets(port: int, network: _Network, reader: _Reader, deadline: float) -> None:
    import ssl

    from websockets.sync.client import connect

    # The URL names the Host to send; the socket goes to the loopback address whatever it says.
    url = network.url("ws", port, "/_stcore/stream", named=True)
    context = None
    if network.tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    sock = socket.create_connection((_LOOPBACK, port), timeout=_left(deadline))
    with connect(
        url,
        sock=sock,
        ssl=context,
        server_hostname=_LOOPBACK if network.tls else None,
        subprotocols=["streamlit"],  # type: ignore[list-item]
        open_timeout=_left(deadline),
    ) as ws:
        ws.send(_rerun_message())
        while True:
            data = ws.recv(timeout=_left(deadline))
            if isinstance(data, bytes) and reader.feed(data):
                return


def _exchange_tornado(port: int, network: _Network, reader: _Reader, deadline: float) -> None:
    # Imported by name: tornado is there only where Streamlit serves with it (and mypy lacks it).
    httpclient = importlib.import_module("tornado.httpclient")
    ioloop = importlib.import_module("tornado.ioloop")
    websocket = importlib.import_module("tornado.websocket")

    async def exchange() -> None:
        request = httpclient.HTTPRequest(
            network.url("ws", port, "/_stcore/stream"),
            headers=network.host_header(port),
            validate_cert=False,
            connect_timeout=_left(deadline),
            request_timeout=_left(deadline),
        )
        ws = await websocket.websocket_connect(request, subprotocols=["streamlit"])
        try:
            await ws.write_message(_rerun_message(), binary=True)
            while True:
                data = await ws.read_message()
                if data is None:
                    raise _Failure("error", "run", "the server closed the WebSocket")
                if isinstance(data, bytes) and reader.feed(data):
                    return
        finally:
            ws.close()

    ioloop.IOLoop.current().run_sync(exchange, timeout=_left(deadline))


def _left(deadline: float) -> float:
    return max(0.01, deadline - time.monotonic())


def _exchange() -> Callable[[int, _Network, _Reader, float], None]:
    """Streamlit's own WebSocket library: `websockets` beside Starlette, else tornado."""
    try:
        import websockets.sync.client  # noqa: F401
    except ImportError:
        return _exchange_tornado
    return _exchange_websockets


def _stop(server: subprocess.Popen[bytes]) -> None:
    # Nothing of the server's is worth a graceful shutdown: stop it now.
    if server.poll() is None:
        server.send_signal(signal.SIGKILL)
    server.wait()


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

    def start(*extra: str) -> subprocess.Popen[bytes]:
        overrides = [f"--{override}" for override in (*args.override, *extra)]
        command = [sys.executable, "-m", "streamlit", "run", *args.run_args, *overrides]
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)

    server = start()
    result: dict[str, Any] = {"status": "ok", "phase": None, "message": None, "overridden": []}
    reader: _Reader | None = None
    network = _Network()
    try:
        # Reading the config and importing protobuf and the WebSocket library overlap with the
        # server's start.
        if args.user_config:
            network = _user_start(args.run_args, result)
        if network.host is None:
            # No Host could pass this server.allowedHosts: the one case to override it, which
            # needs another start (rare: every browser would be refused too).
            _stop(server)
            server = start(f"{_ALLOWED_HOSTS}=*")
            result["overridden"] = [_ALLOWED_HOSTS]
            network = replace(network, host="")
        exchange = _exchange()
        reader = _Reader()
        _rerun_message()
        _wait_healthy(server, args.port, network, deadline)
        result["url"] = network.url("ws", args.port, "/_stcore/stream", named=True)
        try:
            exchange(args.port, network, reader, deadline)
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
        _stop(server)
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
    parser.add_argument("--user-config", action="store_true")
    parser.add_argument("--override", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("run_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.run_args[:1] == ["--"]:
        args.run_args = args.run_args[1:]
    result = _drive(args)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    code = main()
    # The server is reaped and the report written: tearing down the interpreter, with all of
    # Streamlit and protobuf imported, would only add a tenth of a second or more to every probe.
    os._exit(code)
