"""Mermaid state diagrams of every flow, made from the transition tables themselves.

`python -m assistant.dialog.diagrams docs/flows` rewrites `docs/flows/<flow>.mmd`; a test
fails when a committed diagram no longer matches its flow.
"""
from __future__ import annotations

import sys
from pathlib import Path

from assistant.dialog.flows import REGISTRY
from assistant.dialog.states import State

GLOBAL_NOTE = "help / 9, operator / 0, repeat / *, cancel, goodbye: from every state (engine)"


def _node(name: str) -> str:
    return name.replace(".", "_")


def _edges(state: State) -> list[tuple[str, str]]:
    edges: list[tuple[str, str]] = []
    labelled: set[str] = set()
    for key, target in state.on.items():
        if isinstance(target, str):
            edges.append((target, key))
            labelled.add(target)
    for label, target in (("fallback", state.fallback), ("timeout", state.timeout)):
        if isinstance(target, str):
            edges.append((target, label))
            labelled.add(target)
    handled = sorted(k for k, t in state.on.items() if callable(t))
    for target in state.goes_to:
        if target not in labelled:
            edges.append((target, ", ".join(handled) or "enter"))
    return edges


def diagram(flow: str) -> str:
    states = REGISTRY.flows()[flow]
    lines = ["stateDiagram-v2", f"    %% {GLOBAL_NOTE}"]
    for state in states:
        lines.append(f'    state "{state.name}" as {_node(state.name)}')
    for state in states:
        if state.final:
            lines.append(f"    {_node(state.name)} --> [*]")
        for target, label in _edges(state):
            lines.append(f"    {_node(state.name)} --> {_node(target)} : {label}")
    return "\n".join(lines) + "\n"


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for flow in REGISTRY.flows():
        path = folder / f"{flow}.mmd"
        path.write_text(diagram(flow), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/flows")):
        print(path)
