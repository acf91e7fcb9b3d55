"""The rules of docs/domain.md as plain Python.

Pure functions and small frozen dataclasses: quorum and majority (CGCT), legal
calendars of every French territory, @ctes act metadata, procurement thresholds and
time limits (Code de la commande publique), the Pass numérique booklet ledger and
the evaluation indicators. No I/O except reading the package's own data files in
``data/``; nothing here imports the rest of Conventio.

Every refusal raises :class:`workflows.domain.errors.DomainError` (a ``ValueError``)
whose text is a French sentence meant for the user.
"""
