"""The errors a run ends with when a user can fix the cause: one family, caught in one place by the command line
(a plain `agency-check: error:` line, exit 2) and raised as they are to a Python caller."""

from __future__ import annotations


class AgencyRulesError(Exception):
    """Something the user can fix: the message names the file, row, column or option."""


class InputError(AgencyRulesError):
    """An input file (an export, a history file, a report) cannot be read at all; bad rows are rejected instead."""


class RuleFileError(AgencyRulesError):
    """A settings file (rules, overlay, caps, waivers, config, column map, contract) cannot be used."""


class UsageError(AgencyRulesError):
    """Options that cannot go together, or a value no option takes."""
