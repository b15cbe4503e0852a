"""``soviet-cohesion classroom``: its addresses, its checks (one line, exit status 2), the
environment it gives the server, and the dashboard's "Play it in class" button."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

import classroom_support as cs
import dashboard_support as ds
from soviet_cohesion import classroom_launcher as launcher
from soviet_cohesion import cli


def test_the_app_sits_beside_the_dashboard():
    path = launcher.classroom_app_path()
    assert path.name == "app.py" and path.parent.name == "classroom" and path.is_file()


def test_join_address_uses_the_local_network_address_when_listening_everywhere(monkeypatch):
    monkeypatch.setattr(launcher, "local_network_address", lambda: "192.168.1.23")
    assert launcher.join_url("0.0.0.0", 8766) == "http://192.168.1.23:8766/"
    assert launcher.join_url("10.0.0.5", 9000) == "http://10.0.0.5:9000/"
    assert launcher.join_url("::", 8766) == "http://192.168.1.23:8766/"
    assert launcher.join_url("fe80::1", 8766) == "http://[fe80::1]:8766/"
    monkeypatch.setattr(launcher, "local_network_address", lambda: None)
    assert launcher.join_url("0.0.0.0", 8766) == f"http://{socket.gethostname()}:8766/"


def test_the_local_network_address_is_not_loopback():
    address = launcher.local_network_address()
    assert address is None or not address.startswith("127.")


def test_the_teacher_address_is_on_this_machine_with_the_key():
    assert launcher.teacher_url("0.0.0.0", 8766, "KEY") == "http://localhost:8766/teacher?key=KEY"
    assert launcher.teacher_url("127.0.0.1", 8766, "KEY") == "http://localhost:8766/teacher?key=KEY"
    assert launcher.teacher_url("10.0.0.5", 8766, "KEY") == "http://10.0.0.5:8766/teacher?key=KEY"


def test_warnings_about_the_join_address():
    assert "cannot reach" in launcher.address_warnings("127.0.0.1", "http://127.0.0.1:8766/")[0]
    assert launcher.address_warnings("0.0.0.0", "http://192.168.1.23:8766/") == []
    assert "not a local-network address" in launcher.address_warnings("0.0.0.0", "http://8.8.8.8:8766/")[0]
    assert "no local-network address" in launcher.address_warnings("0.0.0.0", "http://myhost:8766/")[0]


def test_the_server_gets_the_session_and_no_telemetry():
    env = launcher.session_environment(key="K", code="123456", join="http://10.0.0.5:8766/", scenario="brezhnev",
                                       seed=3, timer=0, base={"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "true"})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["SOVIET_COHESION_CLASSROOM_KEY"] == "K" and env["SOVIET_COHESION_CLASSROOM_CODE"] == "123456"
    assert env["SOVIET_COHESION_CLASSROOM_TIMER"] == "none" and env["SOVIET_COHESION_CLASSROOM_SEED"] == "3"
    settings = cs.module("settings")
    room = settings.from_environment(env)
    try:
        assert room.teacher_key == "K" and room.join_code == "123456" and room.scenario == "brezhnev"
        assert room.seed == 3 and room.timer is None and room.join_url == "http://10.0.0.5:8766/"
    finally:
        room.close()


def test_new_secrets_are_fresh():
    (k1, c1), (k2, c2) = launcher.new_secrets(), launcher.new_secrets()
    assert k1 != k2 and len(k1) >= 20 and c1.isdigit() and len(c1) == 6 and c2.isdigit()


def test_a_port_in_use_is_refused_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(launcher.ClassroomProblem, match=f"port {port} is already in use"):
            launcher.check_port("127.0.0.1", port)


@pytest.mark.parametrize("argv, words", [
    (["classroom", "--timer", "7"], "--timer 7"),
    (["classroom", "--scenario", "nope"], "not found"),
    (["classroom", "--host", "203.0.113.77"], "--host must be an address of this machine"),
    (["classroom", "--host", "no such host.invalid"], "--host"),
])
def test_bad_input_gets_one_line_and_status_2(capsys, argv, words):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err and err.startswith("soviet-cohesion: error:")


@pytest.mark.parametrize("argv", [["classroom", "--port", "0"], ["classroom", "--seed", "-1"],
                                  ["classroom", "--timer", "x"]])
def test_bad_numbers_are_refused_by_the_parser(capsys, argv):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2 and "error:" in capsys.readouterr().err


def test_the_classroom_command_is_listed():
    assert "classroom" in cli.build_parser().format_help()


# ------------------------------------------------------------------------------ from the dashboard
def test_the_dashboard_button_shows_the_teacher_address_in_its_tab_only(monkeypatch):
    import ipyvuetify as v
    import solara

    start_button = ds.dashboard_module("classroom.start_button")

    class FakeSession:
        teacher_url, join_url, code = "http://localhost:8766/teacher?key=K", "http://192.168.1.23:8766/", "123456"

    answers = iter([FakeSession(), None])
    monkeypatch.setattr(start_button, "start_session", lambda: next(answers))
    _, first = solara.render(start_button.ClassroomButton(), handle_error=False)
    _, second = solara.render(start_button.ClassroomButton(), handle_error=False)
    try:
        ds.find_by_class(first, v.Btn, "sc-classroom-start")[0].click()
        (link,) = [w for w in ds.all_widgets(first) if (getattr(w, "attributes", None) or {}).get("href")]
        assert link.attributes["href"] == FakeSession.teacher_url and "123456" in ds.texts(first)
        ds.find_by_class(second, v.Btn, "sc-classroom-start")[0].click()
        assert "running already" in ds.texts(second) and "key=K" not in ds.texts(second)
    finally:
        first.close()
        second.close()


def test_the_dashboard_button_reports_a_failure(monkeypatch):
    import ipyvuetify as v
    import solara

    start_button = ds.dashboard_module("classroom.start_button")

    def fail():
        raise launcher.ClassroomProblem("port 8766 is already in use")

    monkeypatch.setattr(start_button, "start_session", fail)
    _, rc = solara.render(start_button.ClassroomButton(), handle_error=False)
    try:
        ds.find_by_class(rc, v.Btn, "sc-classroom-start")[0].click()
        assert "could not start" in ds.texts(rc) and "already in use" in ds.texts(rc)
    finally:
        rc.close()


@pytest.mark.slow
def test_a_session_started_from_another_program_ends_with_it():
    """A program starts a session (as the dashboard does) and dies without cleaning up: the
    session's server notices and exits, leaving nothing listening."""
    script = (
        "import os, sys\n"
        "from soviet_cohesion.classroom_launcher import ClassSession\n"
        "s = ClassSession(host='127.0.0.1', port=int(sys.argv[1]))\n"
        "assert s.wait_ready(120)\n"
        "print(s.process.pid, flush=True)\n"
        "os._exit(0)\n")
    port = launcher.free_port()
    out = subprocess.run([sys.executable, "-c", script, str(port)], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    server_pid = int(out.stdout.split()[-1])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.5)
    else:
        os.kill(server_pid, 9)
        pytest.fail("the session's server outlived the program that started it")
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)


@pytest.mark.slow
def test_the_command_prints_both_addresses_serves_and_stops_on_sigterm():
    port = launcher.free_port()
    process = subprocess.Popen([sys.executable, "-m", "soviet_cohesion", "classroom", "--host", "127.0.0.1",
                                "--port", str(port), "--timer", "30"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "DISPLAY": ""})
    try:
        lines = [process.stdout.readline() for _ in range(4)]
        text = "".join(lines)
        assert "Teacher's page" in text and f"http://localhost:{port}/teacher?key=" in text
        assert f"Students open http://127.0.0.1:{port}/ and type the code" in text
        teacher = text.split("yourself): ", 1)[1].split()[0]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        with urllib.request.urlopen(teacher.replace("localhost", "127.0.0.1"), timeout=10) as response:
            assert response.status == 200
    finally:
        process.terminate()
        assert process.wait(timeout=30) in (0, 130, -15)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)
