"""The app factory: a session key shared by every worker process."""
from __future__ import annotations

import multiprocessing
import secrets
import stat
import time
from pathlib import Path

from assistant.config import Config
from assistant.web import _secret_key


def _key_after(barrier, config: Config, results) -> None:  # type: ignore[no-untyped-def]
    real = secrets.token_hex

    def slow_token_hex(nbytes: int) -> str:  # widens the window in which all find no key yet
        time.sleep(0.2)
        return real(nbytes)

    secrets.token_hex = slow_token_hex
    barrier.wait()
    results.put(_secret_key(config))


def test_workers_starting_together_all_sign_sessions_with_one_new_key(config: Config, tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    workers = 6
    barrier, results = context.Barrier(workers), context.Queue()
    processes = [context.Process(target=_key_after, args=(barrier, config, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    keys = {results.get(timeout=30) for _ in processes}
    for process in processes:
        process.join(timeout=30)
    key_file = Path(config.data_dir) / "secret_key"
    assert keys == {key_file.read_text().strip()} and len(next(iter(keys))) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir() if p.name.startswith(".secret_key")] == []


def test_a_configured_key_is_used_as_it_is(config: Config) -> None:
    assert _secret_key(config.model_copy(update={"secret_key": "from-config"})) == "from-config"
