"""The arrows between the apps point one way (docs/architecture.md).

Every module of every app is read (not imported) and its imports of the
other apps are checked against the allowed arrows, imports made inside
functions included: an import hidden in a function is still an arrow.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = {"kcsp", "meetings", "agreement", "priorities", "dhr", "imports", "demo"}
# app -> the apps it may import. Nothing may import `demo`.
ALLOWED: dict[str, set[str]] = {
    "kcsp": set(),
    "meetings": {"kcsp"},
    "agreement": {"kcsp", "meetings"},
    "priorities": {"kcsp", "meetings", "agreement"},
    "dhr": {"kcsp", "meetings"},
    "imports": {"kcsp", "meetings"},
    "demo": APPS - {"demo"},
}


def _imported_packages(path: Path) -> set[str]:
    """The top-level packages the module imports, inside functions included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {name.split(".")[0] for name in names}
    return found


def _imported_apps(path: Path) -> set[str]:
    return _imported_packages(path) & APPS


def test_imports_between_apps_follow_the_arrows() -> None:
    wrong = []
    for app, allowed in ALLOWED.items():
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for other in sorted(_imported_apps(path) - allowed - {app}):
                wrong.append(f"{path.relative_to(ROOT)} imports {other}")
    assert wrong == []


def test_the_arrows_have_no_cycle() -> None:
    seen: set[str] = set()

    def visit(app: str, path: tuple[str, ...]) -> None:
        assert app not in path, " -> ".join((*path, app))
        if app in seen:
            return
        for other in ALLOWED[app]:
            visit(other, (*path, app))
        seen.add(app)

    for app in ALLOWED:
        visit(app, ())


def test_one_module_decides_which_html_is_safe() -> None:
    # Every stored fragment, typed or imported, is cleaned by
    # kcsp.richtext.sanitise_html: no other module calls the sanitiser library
    # with a list of its own.
    users = [
        str(path.relative_to(ROOT))
        for app in sorted(APPS)
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and "nh3" in _imported_packages(path)
    ]
    assert users == ["kcsp/richtext.py"]
