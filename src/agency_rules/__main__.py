"""`python -m agency_rules` is `agency-check`."""

from .entry import main

main()
