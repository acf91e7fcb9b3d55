"""The booklet register an instance keeps in its data, described for reading."""
from ..domain.booklet_register import register_summary
from ..domain.errors import DomainError
from ..errors import InvalidData


def describe_register(register):
    """Where the booklets are, by size: received, in stock, per prescriber, handed out.
    A register that does not replay is refused (InvalidData) with the rule it breaks."""
    try:
        return register_summary(register)
    except DomainError as error:
        raise InvalidData(str(error)) from error
