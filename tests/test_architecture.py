"""The apps import each other without a cycle, so each can be read, tested and changed on top of the
ones below it. An import of another app anywhere in an app's code (function bodies included, migrations
excepted: they record history) counts as an arrow; a cycle fails with the files that make its arrows."""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "satupintu"

Arrows = dict[tuple[str, str], list[str]]


def app_names(package: Path) -> set[str]:
    return {path.parent.name for path in package.glob("*/__init__.py")}


def imported_modules(tree: ast.Module, module: str, is_package: bool) -> list[tuple[str, int]]:
    """Every module named by an import statement, relative imports resolved, with its line;
    `from satupintu import cases` names `satupintu.cases`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                base = parts[: len(parts) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.append((target, node.lineno))
            found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
    return found


def arrows_between_apps(package: Path) -> Arrows:
    """(importing app, imported app) → the places, `path:line`, that import it."""
    apps = app_names(package)
    arrows: Arrows = defaultdict(list)
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if len(parts) < 3 or parts[1] not in apps or "migrations" in parts:
            continue
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target, line in imported_modules(tree, module, is_package):
            names = target.split(".")
            if len(names) > 1 and names[0] == package.name and names[1] in apps and names[1] != parts[1]:
                place = f"{path.relative_to(package.parent)}:{line}"
                if place not in arrows[(parts[1], names[1])]:
                    arrows[(parts[1], names[1])].append(place)
    return dict(arrows)


def cycles(arrows: Arrows) -> list[list[str]]:
    """The groups of two or more apps that can each reach the others by following imports."""
    after = defaultdict(set)
    for source, target in arrows:
        after[source].add(target)

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in after[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    reach = {app: reachable(app) for app in {a for pair in arrows for a in pair}}
    groups = {frozenset(b for b in reach if b in reach[a] and a in reach[b]) for a in reach if a in reach[a]}
    return sorted(sorted(group) for group in groups)


def describe(group: list[str], arrows: Arrows) -> str:
    lines = [" ↔ ".join(group)]
    for (source, target), places in sorted(arrows.items()):
        if source in group and target in group:
            lines.append(f"  {source} → {target}: {', '.join(places)}")
    return "\n".join(lines)


def test_no_app_imports_an_app_that_imports_it_back():
    arrows = arrows_between_apps(PACKAGE)
    found = cycles(arrows)
    assert not found, "import cycles between apps:\n" + "\n".join(describe(group, arrows) for group in found)


def test_no_app_imports_the_demo():
    arrows = arrows_between_apps(PACKAGE)
    assert not {pair: places for pair, places in arrows.items() if pair[1] == "demo"}


def test_the_check_sees_every_kind_of_import(tmp_path):
    package = tmp_path / "satupintu"
    sources = {
        "lower/__init__.py": "",
        "lower/models.py": "from satupintu import upper\n",
        "upper/__init__.py": "",
        "upper/views.py": "def view():\n    from ..lower.models import Thing\n",
        "upper/migrations/0001_initial.py": "import satupintu.lower\n",
        "alone/__init__.py": "import satupintu.lower.models\n",
    }
    for name, source in sources.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(source)
    arrows = arrows_between_apps(package)
    assert arrows == {
        ("lower", "upper"): ["satupintu/lower/models.py:1"],
        ("upper", "lower"): ["satupintu/upper/views.py:2"],
        ("alone", "lower"): ["satupintu/alone/__init__.py:1"],
    }
    assert cycles(arrows) == [["lower", "upper"]]
