"""A real `assistant serve` for benchmarks and tests: a temp config, demo data, a free port."""
from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from assistant.simulator.server import free_port


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class AssistantServer:
    """`assistant init-db --demo`, then `assistant serve` on a free port (console mode, no
    scheduler), with `settings` (YAML lines) added to the config and `serve_options` (such
    as ["--workers", "2"]) to the command."""

    def __init__(self, folder: Path, database_url: str, settings: str = "",
                 serve_options: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.public_url = f"http://127.0.0.1:{self.port}"
        config = folder / "config.yaml"
        config.write_text(f"public_url: {self.public_url}\ndatabase: {{url: '{database_url}'}}\n"
                          f"data_dir: data\n{settings}", encoding="utf-8")
        env = {**os.environ, "ASSISTANT_CONFIG": str(config)}
        for variable in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "ASSISTANT_DATABASE_URL",
                         "ASSISTANT_PUBLIC_URL"):
            env.pop(variable, None)
        assistant = str(Path(sys.executable).parent / "assistant")
        subprocess.run([assistant, "init-db", "--demo"], env=env, check=True, capture_output=True)
        self.log = folder / "server.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen([assistant, "serve", "--port", str(self.port), "--no-scheduler",
                                             *serve_options],
                                            env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                break
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
            finally:
                connection.close()
        self.stop()
        raise RuntimeError(f"the server did not start:\n{self.log.read_text()}")

    def worker_pids(self) -> list[int]:
        """The server's worker processes (Linux /proc)."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its worker processes (Linux /proc)."""
        ticks = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
