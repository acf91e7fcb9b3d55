"""Reading the dated data files of ``workflows/domain/data``: one document format per
file, records with a date of effect and a source, every fault named in French with the
file and the record (``where``)."""
import json
from datetime import date
from importlib import resources

from .errors import DataFileError


def package_file(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text("utf-8")


def records_of(text: str, name: str, document_format: str, list_key: str) -> list:
    """The non-empty list ``list_key`` of a JSON document of the given format."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataFileError(f"{name} : JSON illisible ({error}).") from None
    return listed(document, name, document_format, list_key)


def listed(document: object, name: str, document_format: str, list_key: str) -> list:
    if not isinstance(document, dict) or document.get("format") != document_format:
        raise DataFileError(f"{name} : format attendu « {document_format} ».")
    records = document.get(list_key)
    if not isinstance(records, list) or not records:
        raise DataFileError(f"{name} : la liste « {list_key} » est absente ou vide.")
    return records


def required_object(raw: object, where: str) -> dict:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where} : objet JSON attendu.")
    return raw


def required_text(raw: dict, key: str, where: str) -> str:
    if not isinstance(raw.get(key), str) or not raw[key].strip():
        raise DataFileError(f"{where} : « {key} » est obligatoire.")
    return raw[key].strip()


def flag(raw: dict, key: str, where: str) -> bool:
    if not isinstance(raw.get(key), bool):
        raise DataFileError(f"{where} : « {key} » doit valoir true ou false.")
    return raw[key]


def positive_int(value: object, where: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataFileError(f"{where} : {what} entier positif attendu, reçu {value!r}.")
    return value


def effective_date(raw: dict, where: str) -> date:
    value = raw.get("effective_from")
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DataFileError(f"{where} : date d'effet invalide {value!r} (format AAAA-MM-JJ).") from None
