"""The picture in DESIGN.md, checked on the code: the layers (an import-linter contract with no
exceptions, which `make test` also runs) and the rule that only the dialog changes where a
conversation stands."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from assistant.config import REPO_ROOT

LINT = str(Path(sys.executable).with_name("lint-imports"))
DIALOG_STATE = {"state", "flow", "slots", "language", "misunderstandings", "elder_id", "ended", "last_prompt"}
"""What a conversation's dialog holds: only `assistant/dialog` assigns these on a conversation."""


def contracts() -> list[dict[str, object]]:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LINT], cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_layers_contract_has_the_layers_of_design_md_and_no_exceptions() -> None:
    [layers] = contracts()
    assert layers["type"] == "layers" and "ignore_imports" not in layers
    assert layers["layers"] == ["cli", "simulator", "scheduler | web | stream", "channels", "dialog",
                                "services : nlu : speech", "db : telephony"]


def test_the_code_keeps_the_layers() -> None:
    result = lint(REPO_ROOT)
    assert result.returncode == 0, result.stdout[-2000:]


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "assistant", tmp_path / "assistant",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / "assistant" / "services" / "orders.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom assistant.channels.sms import answer  # noqa: E402, F401\n")
    result = lint(tmp_path)
    assert result.returncode == 1
    assert "assistant.services is not allowed to import assistant.channels" in result.stdout


def _assigned_on_a_conversation(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, attribute) for each assignment to `<...>conv.<attribute>` of the dialog's state."""
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            for element in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(element, ast.Attribute) and element.attr in DIALOG_STATE \
                        and ast.unparse(element.value).split(".")[-1] == "conv":
                    found.append((node.lineno, element.attr))
    return found


def test_only_the_dialog_changes_where_a_conversation_stands() -> None:
    code = REPO_ROOT / "assistant"
    outside = [f"{path.relative_to(code)}:{line}: conv.{attribute}"
               for path in sorted(code.rglob("*.py")) if "dialog" not in path.relative_to(code).parts
               for line, attribute in _assigned_on_a_conversation(ast.parse(path.read_text(encoding="utf-8")))]
    assert outside == []
    inside = [found for path in (code / "dialog").rglob("*.py")
              for found in _assigned_on_a_conversation(ast.parse(path.read_text(encoding="utf-8")))]
    assert inside, "the check finds the dialog's own assignments"
