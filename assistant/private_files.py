"""Files that hold health data (recordings, transcripts, exports): readable by this user only.

Folders are made 0700 and files 0600 whatever the umask, from the data directory down, so
another account on the machine cannot list or read what an elder said.
"""
from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(folder: Path, root: Path) -> Path:
    """Make `folder` (inside `root`) and every folder between them, each 0700."""
    folder.mkdir(parents=True, exist_ok=True)
    current = folder.resolve()
    stop = root.resolve().parent
    while current != stop and current.is_relative_to(stop):
        current.chmod(DIR_MODE)
        current = current.parent
    return folder


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600 from the moment the file exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    path.chmod(FILE_MODE)
