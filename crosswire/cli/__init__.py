"""The command line: one module per command group, each registering its commands on ``app``."""

# each module registers its commands on ``app`` when imported; this order is the order of ``--help``
from crosswire.cli import ingest, stories, article, briefing, export, evaluate, demo  # noqa: F401,I001
from crosswire.cli import serve  # noqa: F401,E402  (crosswire serve; issue 13)
from crosswire.cli import watch  # noqa: F401,E402  (crosswire watch, crosswire sources; issue 14)
from crosswire.cli.app import app


def main() -> None:
    app()
