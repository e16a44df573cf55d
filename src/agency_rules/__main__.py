"""`python -m agency_rules` is `agency-check`."""

from .cli import main

main()
