"""Kernels through real ssh tunnels: Debian's sshd on a loopback port.

The test makes throwaway host and client keys and a throwaway known_hosts
holding the host key, so ssh checks host keys as it always does.  The
system ssh is used through a wrapper first on PATH that only adds
``-F <test config>`` (which known_hosts to read); tkconsole runs plain
``ssh``.  Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, run_and_wait, type_text, wait_for
from jupyter_client import KernelManager
from servers import free_port

from tkconsole.connector import Connector
from tkconsole.kernel import connfile
from tkconsole.kernel.tunnel import _cmdline_has
from tkconsole.models.target import Target
from tkconsole.ui.console import Console
from tkconsole.ui.dialogs.password import PasswordDialog

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
PASSPHRASE = "correct horse"
pytestmark = pytest.mark.skipif(
    not Path(SSHD).exists(), reason="openssh-server is not installed (tests/run.sh installs it)"
)


def keygen(path: Path, passphrase: str = "") -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "tkconsole-test", "-f", path],
        check=True,
    )
    return path


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    """An sshd on 127.0.0.1 that accepts two throwaway keys (one with a passphrase)."""
    d = tmp_path_factory.mktemp("ssh")
    host_key = keygen(d / "host_key")
    locked, plain = keygen(d / "locked_key", PASSPHRASE), keygen(d / "plain_key")
    (d / "authorized_keys").write_text(
        Path(f"{locked}.pub").read_text() + Path(f"{plain}.pub").read_text()
    )
    port = free_port()
    (d / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
        f"AuthorizedKeysFile {d / 'authorized_keys'}\nPidFile none\nStrictModes no\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "PermitRootLogin prohibit-password\nAllowTcpForwarding yes\n"
    )
    host_line = " ".join(Path(f"{host_key}.pub").read_text().split()[:2])
    (d / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_line}\n")
    (d / "empty_known_hosts").write_text("")
    other = " ".join(Path(f"{keygen(d / 'other_host_key')}.pub").read_text().split()[:2])
    (d / "wrong_known_hosts").write_text(f"[127.0.0.1]:{port} {other}\n")
    for name in ("known_hosts", "empty_known_hosts", "wrong_known_hosts"):
        (d / f"{name}.config").write_text(
            f"UserKnownHostsFile {d / name}\nGlobalKnownHostsFile /dev/null\n"
            "IdentitiesOnly yes\nStrictHostKeyChecking ask\n"
        )
    wrapper = d / "bin" / "ssh"
    wrapper.parent.mkdir()
    wrapper.write_text('#!/bin/sh\nexec /usr/bin/ssh -F "$TKCONSOLE_TEST_SSH_CONFIG" "$@"\n')
    wrapper.chmod(0o755)
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    proc = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(d / "sshd_config")],
        stderr=(d / "sshd.log").open("wb"),
    )
    wait_for_port(port, proc, d / "sshd.log")
    yield SimpleNamespace(
        dir=d, port=port, server=f"{getpass.getuser()}@127.0.0.1:{port}",
        locked=str(locked), plain=str(plain), bin=str(wrapper.parent),
    )  # fmt: skip
    proc.terminate()
    proc.wait(10)


def wait_for_port(port: int, proc: subprocess.Popen, log: Path) -> None:
    end = time.monotonic() + 20
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"sshd exited: {log.read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"sshd did not listen: {log.read_text()}")


@pytest.fixture
def ssh_env(sshd, monkeypatch):
    """PATH finds the wrapper; ``use(name)`` picks which known_hosts ssh reads."""
    monkeypatch.setenv("PATH", f"{sshd.bin}{os.pathsep}{os.environ['PATH']}")

    def use(known_hosts: str) -> None:
        monkeypatch.setenv("TKCONSOLE_TEST_SSH_CONFIG", str(sshd.dir / f"{known_hosts}.config"))

    use("known_hosts")
    return use


@pytest.fixture
def kernel(tmp_path):
    """A kernel with CurveZMQ keys: they travel in the connection file, through the tunnels."""
    manager = KernelManager(
        kernel_name="python3",
        connection_file=str(tmp_path / "kernel-t.json"),
        transport_encryption="auto",
    )
    manager.start_kernel(env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    yield manager
    manager.shutdown_kernel(now=True)


@pytest.fixture
def tunnelled(root, tmp_path, kernel, make_console):
    """``open(server, key)`` -> a Console on the kernel through ssh, password dialogs live."""
    connector = Connector(recent_path=tmp_path / "recent.json")
    connector.serve(SimpleNamespace(root=root))

    def open_console(server: str, key: str) -> Console:
        target = Target("file", path=kernel.connection_file, ssh=server, sshkey=key)
        return make_console(wait=False, connection=connector.connect(target))

    return open_console


def find_dialog(root) -> PasswordDialog | None:
    stack = [root]
    while stack:
        widget = stack.pop()
        if isinstance(widget, PasswordDialog):
            return widget
        stack.extend(widget.winfo_children())
    return None


def test_tunnel_with_a_passphrase_asked_in_a_tk_dialog(root, ssh_env, sshd, tunnelled, kernel):
    console = tunnelled(sshd.server, sshd.locked)
    dialog = wait_for(root, lambda: find_dialog(root), 30, "the passphrase dialog")
    assert str(dialog.entry.cget("show")) == "•"
    type_text(dialog.entry, PASSPHRASE + "\n")
    wait_for(root, console.is_idle, 60, "the first prompt")
    assert find_dialog(root) is None  # asked once for all five tunnels

    tunnels = console.conn.tunnels
    info = kernel.get_connection_info()
    remote_ports = {info[key] for key in connfile.PORT_KEYS}
    assert set(tunnels.forwards) == remote_ports  # every channel, heartbeat included
    assert not remote_ports & set(tunnels.forwards.values())  # we talk to local ports
    pids = list(tunnels.pids.values())
    assert all(pid is not None for pid in pids)
    shown = run_and_wait(root, console, "6 * 7")
    assert "Out[1]: 42" in shown and PASSPHRASE not in shown
    assert console.conn.encrypted  # CurveZMQ end to end, inside the ssh tunnels

    console.shutdown()  # the tunnels close with the console
    wait_for(root, lambda: not any(_cmdline_has(p, "127.0.0.1:") for p in pids), 10, "no ssh")


def test_unknown_host_key_is_refused_clearly(root, ssh_env, sshd, tunnelled):
    ssh_env("empty_known_hosts")
    console = tunnelled(sshd.server, sshd.plain)
    wait_for(root, console.is_failed, 30, "the failure")
    expected = (
        f"the host key of 127.0.0.1:{sshd.port} is not known: "
        f"run `ssh {sshd.server}` in a terminal once to check and accept it"
    )
    assert expected in console.transcript()
    assert find_dialog(root) is None and "Traceback" not in console.transcript()


def test_changed_host_key_says_what_ssh_said(root, ssh_env, sshd, tunnelled):
    ssh_env("wrong_known_hosts")
    console = tunnelled(sshd.server, sshd.plain)
    wait_for(root, console.is_failed, 30, "the failure")
    assert f"ssh to {sshd.server} failed: Host key verification failed." in console.transcript()


def test_cancelled_passphrase_is_a_clear_message(root, ssh_env, sshd, tunnelled):
    console = tunnelled(sshd.server, sshd.locked)
    dialog = wait_for(root, lambda: find_dialog(root), 30, "the passphrase dialog")
    dialog.cancel()
    wait_for(root, console.is_failed, 30, "the failure")
    assert f"ssh login to {sshd.server} cancelled" in console.transcript()


def test_command_line_ssh_with_a_key(display, ssh_env, sshd, kernel, tmp_path):
    transcript = tmp_path / "transcript.txt"
    result = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--existing", kernel.connection_file,
         "--ssh", sshd.server, "--sshkey", sshd.plain, "--execute", "'via ssh'",
         "--save-transcript", str(transcript), "--exit-after"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Out[1]: 'via ssh'" in transcript.read_text()
    assert kernel.is_alive()  # not ours
