"""The engine's subpackages import one way; serving needs numpy and the standard library only."""
import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "recommender"
ORDER = {"data": {"data"}, "serving": {"serving"}, "synthetic": {"synthetic", "data"},
         "evaluation": {"evaluation", "data", "serving"},
         "training": {"training", "data", "serving", "evaluation"}}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_serving_imports_only_numpy_and_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"numpy", "recommender"}
    for path in (PACKAGE / "serving").rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in allowed, f"{path.name} imports {name}"
            if top == "recommender" and name != "recommender":
                assert name.startswith("recommender.serving"), f"{path.name} imports {name}"


def test_subpackages_import_one_way():
    for role, allowed in ORDER.items():
        for path in (PACKAGE / role).rglob("*.py"):
            for name in _imports(path):
                parts = name.split(".")
                if parts[0] == "recommender" and len(parts) > 1 and parts[1] in ORDER:
                    assert parts[1] in allowed, f"recommender/{role}/{path.name} imports {name}"
