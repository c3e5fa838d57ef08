"""SSH tunnels for every channel of an existing kernel, through the system ssh.

One ``ssh -f -L`` forward per port (shell, iopub, stdin, control and
heartbeat), started through pexpect as jupyter_client's ``openssh_tunnel``
does, but written here so that what ssh asks (a password, a key
passphrase, a verification code) goes to the ``ask_password`` callback,
which the app turns into a Tk dialog, instead of the terminal; and
without patching jupyter_client's module state to get there.  This module
never imports Tk.  Host keys
are checked as ssh always does: an unknown host is refused with a message
saying how to accept its key, never accepted silently.

Opening tunnels blocks (ssh logs in), so it runs in a worker thread of the
loop's executor, never on the loop thread.  The forwarders are stopped
when the connection shuts down; where they cannot be found (no ``/proc``)
they end by themselves once their sockets close and ``SLEEP`` has passed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pexpect
from jupyter_client.ssh.tunnel import select_random_ports

from . import connfile
from .base import LAUNCH_TIMEOUT
from .connection import EncryptionError, KernelConnection

AskPassword = Callable[[str], "str | None"]  # prompt -> password, or None to cancel
SLEEP = 60  # s the remote side keeps an unused forward open (jupyter_client's default)
LOGIN_TIMEOUT = 30.0  # s an ssh login may take, not counting time spent answering prompts
# ssh asks "password:", "Enter passphrase for key '/path':" or "Verification code:".
_PROMPT = re.compile(rb"(pass(word|phrase)( for key '[^'\n]*')?|verification code):", re.I)
_NEW_HOST = b"Are you sure you want to continue connecting"


class SshError(Exception):
    """A tunnel could not be opened; ``str()`` is one readable line."""


class SshTunnels:
    """Forwards from local ports to a kernel's ports, as seen from ``server``."""

    def __init__(
        self, server: str, keyfile: str | None = None, ask_password: AskPassword | None = None
    ) -> None:
        self.server = server
        self.keyfile = keyfile
        self.ask_password = ask_password
        self.forwards: dict[int, int] = {}  # remote port -> local port
        self.pids: dict[int, int | None] = {}  # remote port -> forwarding ssh process
        self._password: str | None = None

    def open(self, info: dict[str, Any]) -> None:
        """Forward each of the kernel's ports not already forwarded (blocks)."""
        if info.get("transport", "tcp") != "tcp":
            raise SshError("only kernels on tcp can be reached through ssh")
        ip = info.get("ip") or "127.0.0.1"
        ip = "127.0.0.1" if ip in ("0.0.0.0", "*", "localhost") else ip
        for key in connfile.PORT_KEYS:
            rport = info[key]
            if rport not in self.forwards or not self._alive(rport):
                self._open_one(rport, ip)

    def rewrite(self, info: Mapping[str, Any]) -> dict[str, Any]:
        """The connection info as seen through the tunnels."""
        ports = {key: self.forwards[info[key]] for key in connfile.PORT_KEYS}
        return {**info, "ip": "127.0.0.1", **ports}

    def close(self) -> None:
        """Stop every forwarder we can find."""
        for rport, pid in list(self.pids.items()):
            if pid is not None and _cmdline_has(pid, self._spec(rport)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
        self.forwards.clear()
        self.pids.clear()

    # ------------------------------------------------------------------ inside
    def _spec(self, rport: int) -> str:
        return f"127.0.0.1:{self.forwards[rport]}:"

    def _alive(self, rport: int) -> bool:
        pid = self.pids.get(rport)
        return pid is None or _cmdline_has(pid, self._spec(rport))

    def _open_one(self, rport: int, ip: str) -> None:
        lport = select_random_ports(1)[0]
        spec = f"127.0.0.1:{lport}:{ip}:{rport}"
        self._deadline = _Deadline(LOGIN_TIMEOUT, lambda: _stop_matching(spec))
        with self._deadline:
            self._forward(spec)
        self.forwards[rport] = lport
        self.pids[rport] = _find_forwarder(spec)

    def _forward(self, spec: str) -> None:
        """Run ``ssh -f -L spec``, answering its prompts, until it forks (blocks)."""
        host, _, port = self.server.partition(":")
        args = ["-o", "ExitOnForwardFailure=yes", "-f", "-S", "none", "-L", spec]
        args += ["-p", port] if port else []
        args += ["-i", self.keyfile] if self.keyfile else []
        env = {k: v for k, v in os.environ.items() if k != "SSH_ASKPASS"}
        # ``ssh -f`` forks after login and the parent exits at once; the parent is
        # the session leader of pexpect's pty, so its exit sends SIGHUP to the
        # child unless that has left the session: here that race killed four
        # forwarders out of five.  ssh keeps an inherited SIG_IGN.
        child = pexpect.spawn(
            "ssh", [*args, host, "sleep", str(SLEEP)], env=env, ignore_sighup=True
        )
        answered = 0
        while True:
            try:
                found = child.expect([_NEW_HOST, _PROMPT], timeout=0.1)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                child.wait()
                if child.exitstatus:
                    raise SshError(f"ssh to {self.server} failed: {self._why_failed()}") from None
                return
            if found == 0:
                child.close(force=True)
                raise SshError(
                    f"the host key of {self.server.split('@')[-1]} is not known: run `ssh "
                    f"{self.server}` in a terminal once to check and accept it"
                )
            reuse = answered == 0 and self._password is not None
            child.sendline(self._password if reuse and self._password else self._ask())
            answered += 1

    def _ask(self) -> str:
        """What ssh asks, asked through the callback (an earlier answer was rejected)."""
        if self.ask_password is None:
            raise SshError(f"ssh to {self.server} needs a password or passphrase")
        again = "Rejected, try again. " if self._password is not None else ""
        with self._deadline.paused():
            answer = self.ask_password(f"{again}Password or passphrase for {self.server}")
        if answer is None:
            raise SshError(f"ssh login to {self.server} cancelled")
        self._password = answer
        return answer

    def _why_failed(self) -> str:
        if self._deadline.fired:
            return (
                f"no login within {LOGIN_TIMEOUT:.0f} s (is it asking something else? "
                f"try `ssh {self.server}` in a terminal)"
            )
        return self._diagnose()

    def _diagnose(self) -> str:
        """ssh's own last words for a login that failed without asking anything."""
        cmd = ["ssh", "-o", "BatchMode=yes"]
        host, _, port = self.server.partition(":")
        if port:
            cmd += ["-p", port]
        if self.keyfile:
            cmd += ["-i", self.keyfile]
        try:
            out = subprocess.run(
                [*cmd, host, "true"], capture_output=True, text=True, timeout=20, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return str(exc)
        lines = [line.strip() for line in out.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else f"ssh exited with status {out.returncode}"


class _Deadline:
    """Calls ``on_expiry`` (from a timer thread) unless the block ends in time."""

    def __init__(self, seconds: float, on_expiry: Callable[[], None]) -> None:
        self.seconds = seconds
        self.on_expiry = on_expiry
        self.fired = False
        self._timer: threading.Timer | None = None

    def _fire(self) -> None:
        self.fired = True
        self.on_expiry()

    def __enter__(self) -> _Deadline:
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Time spent answering a prompt does not count."""
        self.__exit__()
        try:
            yield
        finally:
            self.__enter__()


def _stop_matching(spec: str) -> None:
    """End the ssh that forwards ``spec`` (a login that hangs: pexpect then sees EOF)."""
    pid = _find_forwarder(spec)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def _cmdline_has(pid: int, needle: str) -> bool:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(arg.decode(errors="replace").startswith(needle) for arg in args)


def _find_forwarder(spec: str) -> int | None:
    """The pid of the backgrounded ``ssh -L spec`` (``ssh -f`` forks, so it is not ours)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    uid = os.getuid()
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                owned = entry.stat().st_uid == uid
            except OSError:
                continue
            if owned and _cmdline_has(int(entry.name), spec):
                return int(entry.name)
    return None


class TunnelledConnection(KernelConnection):
    """An existing kernel (connection file) reached through ssh tunnels."""

    connection_file: str  # always a file: there is no launching through a tunnel

    def __init__(
        self,
        connection_file: str,
        server: str,
        keyfile: str | None = None,
        ask_password: AskPassword | None = None,
        encryption: str = "auto",
        launch_timeout: float = LAUNCH_TIMEOUT,
    ) -> None:
        super().__init__(
            connection_file=connection_file, encryption=encryption, launch_timeout=launch_timeout
        )
        self.tunnels = SshTunnels(server, keyfile, ask_password)
        self.display_name = f"existing kernel via {server}"

    async def _start(self) -> None:
        info = await self._tunnel()
        if info is not None:
            self._connect(info)
        else:
            self._restarting = False

    async def _tunnel(self) -> dict[str, Any] | None:
        """Load the file and open (or reopen) the tunnels; None after reporting why not."""
        try:
            info = self._checked(connfile.load(self.connection_file))
            await asyncio.to_thread(self.tunnels.open, info)
        except (connfile.ConnectionFileError, EncryptionError, SshError) as exc:
            name = "restart_failed" if self._restarting else "start_failed"
            self._event(name, message=str(exc))
            return None
        return info

    def _connect(self, info: Mapping[str, Any]) -> None:
        """Through the tunnels; the CurveZMQ keys in ``info`` still apply end to end."""
        super()._connect(self.tunnels.rewrite(info))

    def _reconnect(self) -> None:
        """Ctrl+. on a tunnelled kernel: reopen any tunnel that died, then reconnect."""
        self._restarting = True
        self._disconnect()
        self.loop.submit(self._start())

    async def _shutdown(self) -> None:
        await super()._shutdown()
        self.tunnels.close()
