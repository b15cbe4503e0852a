"""Start the classroom dashboard: ``soviet-cohesion dashboard [--host H] [--port P]``.

Runs ``solara run <app> --production --host H --port P`` in a child process, with the settings a
classroom needs:

* ``SOLARA_TELEMETRY_MIXPANEL_ENABLE=false``: no telemetry (and no request leaves the machine);
* ``SOLARA_KERNEL_CULL_TIMEOUT=120s``: the run of a closed tab is dropped after two minutes
  (Solara's default keeps it a day);
* ``REACTON_FAST=1``: the renderer's fast tree walk, which redraws only the panels that
  changed (a step costs about a third of the default walk);
* ``SOLARA_SERVER_SYNC_WS_WRITE=true``: websocket frames are written by the thread that makes
  them instead of being handed one by one to the event loop.

Each of these can be overridden from the environment (the telemetry switch excepted). The app
is the installed ``soviet_cohesion/dashboard/app.py`` (a wheel force-includes the repository's
``dashboard/`` there) or, in a source checkout, the repository's ``dashboard/app.py``.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from importlib import resources
from pathlib import Path
from typing import cast

#: environment defaults for the server (the visitor's own environment wins, except telemetry)
SERVER_DEFAULTS = {
    "SOLARA_KERNEL_CULL_TIMEOUT": "120s",
    "REACTON_FAST": "1",
    "SOLARA_SERVER_SYNC_WS_WRITE": "true",
}
SERVER_FORCED = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    # Solara's "This website runs on Solara" badge covers the page's lower right corner
    "SOLARA_THEME_SHOW_BANNER": "false",
}


class DashboardUnavailable(RuntimeError):
    """The dashboard cannot start (its extra dependencies or its files are missing)."""


def app_path() -> Path:
    """Where the dashboard's ``app.py`` is: in the installed package, else in the repository."""
    candidates = []
    try:
        candidates.append(Path(str(resources.files("soviet_cohesion") / "dashboard" / "app.py")))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - the package is always importable here
        pass
    candidates.append(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
    for path in candidates:
        if path.is_file():
            return path
    raise DashboardUnavailable("the dashboard's app.py was not found (looked in: "
                               + ", ".join(str(p) for p in candidates) + ")")


def server_environment(base: dict | None = None) -> dict:
    """The environment for the server process: ``base`` (default ``os.environ``) plus the
    classroom settings."""
    env = dict(os.environ if base is None else base)
    for key, value in SERVER_DEFAULTS.items():
        env.setdefault(key, value)
    env.update(SERVER_FORCED)
    return env


def _can_open_browser() -> bool:
    """Only open a browser where there is a screen: on a bare server ``webbrowser`` could start
    a text-mode browser in the terminal."""
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def command(host: str, port: int, app: Path | None = None, open_browser: bool | None = None) -> list[str]:
    """The ``solara run`` command line for the dashboard."""
    app = app or app_path()
    if open_browser is None:
        open_browser = _can_open_browser()
    return [sys.executable, "-m", "solara", "run", str(app), "--production", "--host", str(host),
            "--port", str(int(port)), "--open" if open_browser else "--no-open"]


def _check_dependencies() -> None:
    try:
        import solara  # noqa: F401
    except ImportError:
        raise DashboardUnavailable(
            "the dashboard needs Solara: pip install 'soviet-cohesion[dashboard]'") from None
    try:
        import solara_assets  # noqa: F401
    except ImportError:
        raise DashboardUnavailable(
            "the dashboard needs solara-assets to work offline: pip install 'soviet-cohesion[dashboard]'") from None


def check_address(host: str, port: int) -> None:
    """Raise :class:`DashboardUnavailable` (one line) when ``host:port`` cannot be listened on:
    a port another program already uses, or an address that is not this computer's."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, OverflowError) as exc:
        raise DashboardUnavailable(f"--host {host!r} is not an address this computer can listen on "
                                   f"({exc}); use 127.0.0.1 (this computer) or 0.0.0.0 (the network)") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        if hasattr(socket, "SO_REUSEADDR"):
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds it
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
                raise DashboardUnavailable(f"port {port} on {host} is already in use (another dashboard or "
                                           f"program?); choose another with --port, e.g. --port {port + 1}") from None
            raise DashboardUnavailable(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                                       f"use --host 127.0.0.1 and a port from 1024 to 65535") from None


class _RelayThread(threading.Thread):
    """The thread that runs :func:`_relay_errors`; it sets ``busy_port`` when the server's port
    turned out to be taken."""

    busy_port: bool = False


def serve(host: str, port: int) -> int:
    """Run the dashboard server until interrupted; returns its exit status (2, with one line on
    stderr, when it cannot start: missing dependencies, a busy port, an address not ours)."""
    try:
        _check_dependencies()
        cmd = command(host, port)
        check_address(host, port)
    except DashboardUnavailable as exc:
        print(f"soviet-cohesion: error: {exc}", file=sys.stderr)
        return 2
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    print(f"Starting the soviet-cohesion dashboard at http://{shown}:{port} (Ctrl+C to stop)", flush=True)
    process = subprocess.Popen(cmd, env=server_environment(), stderr=subprocess.PIPE)
    relay = _RelayThread(target=_relay_errors, args=(process.stderr, host, port), daemon=True)
    relay.busy_port = False
    relay.start()
    status = wait_for_server(process)
    if status == 130:
        return status
    relay.join(timeout=5)
    if status != 0 and relay.busy_port:
        print(f"soviet-cohesion: error: port {port} on {host} is already in use; choose another with --port",
              file=sys.stderr)
        return 2
    return status


def wait_for_server(process: subprocess.Popen) -> int:
    """Wait for a server child until it exits, or until Ctrl+C or SIGTERM stop us (then stop it and
    return 130); the child is never left running, and SIGTERM's handler is put back."""
    previous = _stop_on_sigterm()
    try:
        return process.wait()
    except KeyboardInterrupt:
        _stop(process)
        return 130
    finally:
        if process.poll() is None:
            _stop(process)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _relay_errors(stream, host: str, port: int) -> None:
    """Copy the server's stderr to ours, except the traceback of a port taken between our check
    and the server's start (a race): that becomes one line (see :func:`serve`)."""
    # run in a thread that carries busy_port (serve's _RelayThread; a plain Thread given the attribute works alike)
    thread = cast(_RelayThread, threading.current_thread())
    held: list[str] = []
    for raw in iter(stream.readline, b""):
        line = raw.decode(errors="replace")
        if held or line.startswith("Traceback"):
            held.append(line)  # a traceback is kept whole until we know what it is
            if not line.startswith((" ", "Traceback")):
                if "address already in use" in line.lower() or "errno 98" in line.lower():
                    thread.busy_port = True
                else:
                    sys.stderr.write("".join(held))
                held = []
            continue
        if "address already in use" in line.lower():
            thread.busy_port = True
            continue
        sys.stderr.write(line)
        sys.stderr.flush()
    if held and not thread.busy_port:
        sys.stderr.write("".join(held))


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server, then kill it if it does not stop within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _stop_on_sigterm():
    """Turn SIGTERM into KeyboardInterrupt so that the server child is stopped with us."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BackgroundServer:
    """The dashboard server as a child process on 127.0.0.1, for the browser tests and the load
    test: started with the launcher's settings, polled on ``/readyz`` until ready, stopped with
    terminate, then kill. Its output goes to a temporary log, deleted on stop unless kept."""

    def __init__(self, port: int | None = None, extra_env: dict | None = None, app: Path | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = server_environment()
        env.update(extra_env or {})
        self.log = tempfile.NamedTemporaryFile("w+", prefix="soviet-cohesion-dashboard-", suffix=".log",
                                               delete=False)
        self.process = subprocess.Popen(command("127.0.0.1", self.port, app, open_browser=False), env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return float("nan")

    def stop(self, keep_log: bool = False) -> None:
        if self.process.poll() is None:
            _stop(self.process)
        self.log.close()
        if keep_log:
            print(f"server log kept: {self.log.name}", file=sys.stderr)
        else:
            Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.stop(keep_log=exc_type is not None)
