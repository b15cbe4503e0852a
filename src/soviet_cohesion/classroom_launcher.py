"""Start a class session: ``soviet-cohesion classroom [--host H] [--port P] [--scenario S]
[--seed N] [--timer SECONDS]``.

The teacher's laptop is the server: students open the join address on their phones over the
school's network, so the server listens on every interface by default (``--host 0.0.0.0``).
The launcher

* makes the session's secrets: a six-digit join code and a teacher key (see
  ``dashboard/classroom/codes.py``);
* works out the address students can reach (the laptop's address on the local network, found
  by asking the operating system which interface it would route through; no packet is sent);
* runs ``solara run dashboard/classroom/app.py --production`` with the dashboard's server
  settings (no telemetry, every asset served locally: nothing leaves the local network) and the
  session's settings in the environment;
* prints the teacher's address (with the key: keep it to yourself) and the students' address and
  code, and opens the teacher's page when there is a screen.
"""

from __future__ import annotations

import atexit
import errno
import ipaddress
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

from . import scenarios
from .dashboard_launcher import (
    BackgroundServer,
    DashboardUnavailable,
    _can_open_browser,
    _check_dependencies,
    _stop,
    app_path,
    command,
    free_port,
    server_environment,
    wait_for_server,
)

DEFAULT_HOST = "0.0.0.0"
DEFAULT_PORT = 8766
#: seconds per quarter a teacher can choose (0: no limit)
TIMER_CHOICES = (15, 20, 30, 45, 60, 90, 120)
DEFAULT_TIMER = 45
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ALL_INTERFACES = ("0.0.0.0", "::", "")


class ClassroomProblem(ValueError):
    """The session cannot start as asked (one line: what is wrong and what to do)."""


def classroom_app_path() -> Path:
    """Where the class session's ``app.py`` is (beside the dashboard's)."""
    path = app_path().parent / "classroom" / "app.py"
    if not path.is_file():
        raise DashboardUnavailable(f"the class session's app.py was not found at {path}")
    return path


def local_network_address() -> str | None:
    """This machine's address on its local network (None if it has none): the source address
    the system would use to reach a private address. Connecting a UDP socket sends nothing."""
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                address = s.getsockname()[0]
        except OSError:
            continue
        if address and not address.startswith("127.") and address != "0.0.0.0":
            return address
    return None


def join_url(host: str, port: int) -> str:
    """The address students open: the machine's local-network address when listening on every
    interface, else the host asked for."""
    address = (local_network_address() or socket.gethostname()) if host in ALL_INTERFACES else host
    if ":" in address and not address.startswith("["):
        address = f"[{address}]"  # an IPv6 address in a URL
    return f"http://{address}:{int(port)}/"


def teacher_url(host: str, port: int, key: str) -> str:
    """The teacher's address, on this machine."""
    local = "localhost" if host in ALL_INTERFACES or host in LOOPBACK_HOSTS else host
    return f"http://{local}:{int(port)}/teacher?key={key}"


def address_warnings(host: str, url: str) -> list[str]:
    """What the teacher should know about the join address (one line each)."""
    notes = []
    if host in LOOPBACK_HOSTS:
        notes.append(f"--host {host} listens on this machine only: students' phones cannot reach it "
                     f"(use --host 0.0.0.0 on the school network)")
        return notes
    address = url.split("//", 1)[1].rsplit(":", 1)[0].strip("[]")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        notes.append(f"no local-network address found; students may try {url} (check the laptop's network)")
        return notes
    if not ip.is_private:
        notes.append(f"{address} is not a local-network address: anyone who can reach it could open the join "
                     f"page (the class code still keeps them out of the class)")
    return notes


def check_port(host: str, port: int) -> None:
    """Fail early, in one line, when the port cannot be listened on."""
    bind_host = "0.0.0.0" if host in ("", "0.0.0.0") else host
    family = socket.AF_INET6 if ":" in bind_host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((bind_host, int(port)))
    except socket.gaierror:
        raise ClassroomProblem(f"--host {host!r}: not an address of this machine (try 0.0.0.0)") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ClassroomProblem(f"port {port} is already in use on {host}: choose another with --port") from None
        raise ClassroomProblem(f"cannot listen on {host}:{port} ({exc.strerror or exc}): --host must be an address "
                               f"of this machine, or 0.0.0.0 for all of them") from None


def check_choices(scenario: str, seed: int, timer: int) -> None:
    if scenario not in scenarios.names():
        raise scenarios.ScenarioError(
            f"--scenario {scenario!r} not found; choose one of {', '.join(scenarios.names())}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ClassroomProblem(f"--seed {seed!r}: must be a whole number >= 0")
    if timer != 0 and timer not in TIMER_CHOICES:
        raise ClassroomProblem(f"--timer {timer!r}: choose one of {', '.join(map(str, TIMER_CHOICES))} seconds, "
                               f"or 0 for no limit")


#: a phone put to sleep during a discussion keeps its page this long (the dashboard's default is
#: two minutes); a reload after that still finds the seat, from the address
CLASS_CULL_TIMEOUT = "20m"


def session_environment(*, key: str, code: str, join: str, scenario: str, seed: int, timer: int,
                        base: dict | None = None) -> dict:
    """The server's environment: the dashboard's server settings and the session's own."""
    base = dict(os.environ if base is None else base)
    base.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", CLASS_CULL_TIMEOUT)
    env = server_environment(base)
    env.update({
        "SOVIET_COHESION_CLASSROOM_KEY": key,
        "SOVIET_COHESION_CLASSROOM_CODE": code,
        "SOVIET_COHESION_CLASSROOM_JOIN_URL": join,
        "SOVIET_COHESION_CLASSROOM_SCENARIO": scenario,
        "SOVIET_COHESION_CLASSROOM_SEED": str(int(seed)),
        "SOVIET_COHESION_CLASSROOM_TIMER": str(int(timer)) if timer else "none",
    })
    return env


def new_secrets() -> tuple[str, str]:
    """(teacher key, join code)."""
    return secrets.token_urlsafe(16), "".join(secrets.choice("0123456789") for _ in range(6))


def _wait_ready(url: str, process: subprocess.Popen, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url + "readyz", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, scenario: str = "gorbachev", seed: int = 1,
          timer: int = DEFAULT_TIMER) -> int:
    """Run a class session until interrupted; returns its exit status."""
    try:
        _check_dependencies()
        check_choices(scenario, seed, timer)
        check_port(host, port)
        app = classroom_app_path()
    except (DashboardUnavailable, ClassroomProblem) as exc:
        print(f"soviet-cohesion: error: {exc}", file=sys.stderr)
        return 2
    key, code = new_secrets()
    join = join_url(host, port)
    teacher = teacher_url(host, port, key)
    env = session_environment(key=key, code=code, join=join, scenario=scenario, seed=seed, timer=timer)
    title = scenarios.load(scenario).title
    print(f"Class session: {title}, seed {seed} (Ctrl+C to end it)\n"
          f"  Teacher's page (keep this address to yourself): {teacher}\n"
          f"  Students open {join} and type the code {code}\n"
          f"  (or scan the QR code on the teacher's page)", flush=True)
    for note in address_warnings(host, join):
        print(f"  note: {note}", flush=True)
    process = subprocess.Popen(command(host, port, app, open_browser=False), env=env)
    if _can_open_browser():
        local = teacher.split("/teacher")[0] + "/"
        threading.Thread(target=lambda: _wait_ready(local, process) and webbrowser.open(teacher), daemon=True).start()
    return wait_for_server(process)


class ClassSession:
    """A class session's server started from another program (the dashboard's "Play it in
    class" button): listening on ``host`` (default every interface, so that phones can join),
    stopped with :meth:`stop` or when the program that started it exits."""

    def __init__(self, host: str = DEFAULT_HOST, port: int | None = None, scenario: str = "gorbachev",
                 seed: int = 1, timer: int = DEFAULT_TIMER):
        check_choices(scenario, seed, timer)
        if port is None:
            try:
                check_port(host, DEFAULT_PORT)
                port = DEFAULT_PORT
            except ClassroomProblem:
                port = free_port()
        check_port(host, port)
        self.key, self.code = new_secrets()
        self.host, self.port = host, int(port)
        self.join_url = join_url(host, port)
        self.teacher_url = teacher_url(host, port, self.key)
        env = session_environment(key=self.key, code=self.code, join=self.join_url, scenario=scenario, seed=seed,
                                  timer=timer)
        env["SOVIET_COHESION_CLASSROOM_PARENT_PID"] = str(os.getpid())
        self.process = subprocess.Popen(command(host, port, classroom_app_path(), open_browser=False), env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(self.stop)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = 120.0) -> bool:
        local = self.teacher_url.split("/teacher")[0] + "/"
        return _wait_ready(local, self.process, timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            _stop(self.process)


class ClassroomServer(BackgroundServer):
    """A class session's server on 127.0.0.1 (a free port), for the browser tests and the load
    test; ``key``, ``code``, ``teacher_url`` and ``join_url`` say how to reach it."""

    def __init__(self, scenario: str = "gorbachev", seed: int = 1, timer: int = DEFAULT_TIMER,
                 extra_env: dict | None = None, app: Path | None = None, port: int | None = None):
        self.key, self.code = new_secrets()
        port = port or free_port()
        join = f"http://127.0.0.1:{port}/"
        env = session_environment(key=self.key, code=self.code, join=join, scenario=scenario, seed=seed, timer=timer,
                                  base={})
        env = {k: v for k, v in env.items() if k.startswith("SOVIET_COHESION_CLASSROOM_")}
        env.update(extra_env or {})
        super().__init__(port=port, extra_env=env, app=app or classroom_app_path())
        self.join_url = join
        self.teacher_url = f"{self.url}/teacher?key={self.key}"


__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMER",
    "TIMER_CHOICES",
    "ClassSession",
    "ClassroomServer",
    "join_url",
    "local_network_address",
    "serve",
    "teacher_url",
]
