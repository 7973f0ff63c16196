"""``crosswire serve``: the stories in a browser and over HTTP, the same views as HTML and JSON."""

from crosswire.serve.app import create_app

__all__ = ["create_app"]
