"""The flows' transition tables: consistent, and drawn in docs/flows/ as they are."""
from pathlib import Path

import pytest

from assistant.dialog import diagrams
from assistant.dialog.flows import ENTRY, REGISTRY
from assistant.dialog.states import FlowError, Registry, State

DOCS = Path(__file__).resolve().parents[2] / "docs" / "flows"


def test_every_entry_point_is_a_state() -> None:
    assert all(state in REGISTRY.states for state in ENTRY.values())


def test_every_state_can_end_or_be_answered() -> None:
    for state in REGISTRY.states.values():
        assert state.final or state.prompt or state.enter or state.waits_for_event, state.name


@pytest.mark.parametrize("flow", sorted(REGISTRY.flows()))
def test_each_flow_has_an_up_to_date_mermaid_diagram(flow: str) -> None:
    committed = (DOCS / f"{flow}.mmd").read_text(encoding="utf-8")
    assert committed == diagrams.diagram(flow), "run: python -m assistant.dialog.diagrams docs/flows"


def test_a_transition_to_an_unknown_state_is_refused_when_flows_are_built() -> None:
    with pytest.raises(FlowError, match="a.one leads to unknown state a.two"):
        Registry([State("a.one", on={"yes": "a.two"})])
    with pytest.raises(FlowError, match="defined twice"):
        Registry([State("a.one", final=True), State("a.one", final=True)])
