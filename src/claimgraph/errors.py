"""Errors a user can meet. Every one says what went wrong and what to do.

    ClaimgraphError
    ├── SettingsError        a setting or config file is wrong
    ├── InputError           one input file or record cannot be read (the run goes on)
    │   └── TooLargeError    the input is over ``max_document_bytes``
    ├── StoreError           the database cannot be opened, migrated or written
    ├── OutputError          an export or output file cannot be written
    ├── RegistryError        a registry file does not follow the schema
    └── ModelError           an attribution model is missing or cannot be loaded
"""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base of every error claimgraph raises on purpose."""


class SettingsError(ClaimgraphError):
    pass


class InputError(ClaimgraphError):
    """One bad file or record: ``where`` names it, the message says what is wrong and what to do."""

    def __init__(self, where: str, reason: str, hint: str = "") -> None:
        self.where = where
        self.reason = reason
        self.hint = hint
        msg = f"{where}: {reason}"
        if hint:
            msg += f" — {hint}"
        super().__init__(msg)


class TooLargeError(InputError):
    pass


class StoreError(ClaimgraphError):
    pass


class OutputError(ClaimgraphError):
    pass


class RegistryError(ClaimgraphError):
    pass


class ModelError(ClaimgraphError):
    pass
