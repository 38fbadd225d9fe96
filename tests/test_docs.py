"""Documentation is tested: commands, settings and modules must be where users look."""

from conftest import REPO
from khabar.cli import app
from khabar.ingest import IngestOptions

README = (REPO / "README.md").read_text()
ARCHITECTURE = (REPO / "docs" / "architecture.md").read_text()


def test_docs_readme_starts_with_the_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    assert "make demo" in first_block and "make test" in first_block


def test_docs_every_cli_command_is_in_the_readme():
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert names
    for name in names:
        assert f"khabar {name}" in README, name


def test_docs_every_setting_is_in_the_readme():
    assert "KHABAR_DB" in README
    for name in IngestOptions.model_fields:
        assert f"KHABAR_INGEST__{name.upper()}" in README, name


def test_docs_every_module_is_in_the_architecture_doc():
    for path in (REPO / "src" / "khabar").rglob("*.py"):
        if path.name == "__init__.py" and path.parent.name not in ("ingest", "store"):
            continue
        assert path.name in ARCHITECTURE, path


def test_docs_every_server_setting_is_in_the_readme():
    from khabar.serve import ServeOptions

    for name in ServeOptions.model_fields:
        assert f"KHABAR_SERVE__{name.upper()}" in README, name


def test_docs_every_api_route_is_in_the_readme():
    from khabar.serve import create_app

    schema = create_app(store=_memory_store()).openapi()
    paths = {path for path in schema["paths"] if path != "/api/health"}
    assert len(paths) >= 12
    for path in paths:
        assert path.split("{")[0].rstrip("/") in README, path


def _memory_store():  # type: ignore[no-untyped-def]
    from khabar.store import open_store

    return open_store(":memory:")
