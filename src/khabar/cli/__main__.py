"""`python -m khabar.cli`."""

from . import app

app()
