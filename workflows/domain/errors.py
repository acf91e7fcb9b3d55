"""The one exception family the domain raises."""


class DomainError(ValueError):
    """A rule of docs/domain.md was broken; ``str(error)`` is a French sentence for the user."""


class LedgerError(DomainError):
    """A move would break an invariant of the booklet ledger."""


class DataFileError(DomainError):
    """A data file of ``workflows/domain/data`` is malformed."""
