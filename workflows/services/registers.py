"""The booklet register an instance keeps in its data, described for reading."""
from ..domain.errors import DomainError
from ..domain.script_functions_register import decrire_registre
from ..errors import InvalidData


def describe_register(register):
    """Where the booklets are, by size: received, in stock, per prescriber, handed out.
    A register that does not replay is refused (InvalidData) with the rule it breaks."""
    try:
        return decrire_registre(register)
    except DomainError as error:
        raise InvalidData(str(error)) from error
