"""Validate submitted task data against the task's JSON schema, in French."""
import jsonschema

TYPE_NAMES = {"string": "un texte", "integer": "un nombre entier", "number": "un nombre",
              "boolean": "vrai ou faux", "array": "une liste", "object": "un objet", "null": "vide"}
FORMAT_NAMES = {"date": "une date AAAA-MM-JJ", "date-time": "une date et heure ISO 8601",
                "email": "une adresse électronique", "uri": "une adresse web"}


def validate_form_data(schema, data):
    """Return {field: French message} for every problem; empty when the data is valid."""
    if not isinstance(data, dict):
        return {"": "les données doivent être un objet JSON"}
    if schema is None:
        return {}
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = {}
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        for field, message in _describe(error):
            errors.setdefault(field, message)
    return errors


def undeclared_fields(schema, data):
    """{field: message} for the top-level fields a form does not declare: a submission
    writes the process's data, so it may only carry what its form asks for."""
    if schema is None or not isinstance(data, dict):
        return {}
    declared = _declared(schema)
    return {name: "champ inconnu du formulaire : il ne peut pas être saisi à cette étape"
            for name in data if name not in declared}


# A decision form's own fields: what one review decided is not the next review's answer.
DECISION_FIELDS = ("decision", "commentaire")


def occurrence_fields(schema):
    """The fields each occurrence of a task fills afresh, neither proposed from nor kept as the
    process's earlier values: a decision form's decision and comment. The rest of the data the
    task sees (the dossier, a draft's figures) carries over from one occurrence to the next."""
    properties = (schema or {}).get("properties") or {}
    return tuple(name for name in DECISION_FIELDS if name in properties) if "decision" in properties else ()


def _declared(schema):
    names = set((schema.get("properties") or {}))
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key) or []:
            names |= _declared(part) if isinstance(part, dict) else set()
    for key in ("if", "then", "else"):
        if isinstance(schema.get(key), dict):
            names |= _declared(schema[key])
    return names


def describe_form_errors(errors):
    """The {field: message} of validate_form_data as one French line: « champ (message), … »."""
    return ", ".join(f"{field or 'formulaire'} ({message})" for field, message in errors.items())


def _choices_of(alternatives):
    """« (choix possibles : …) » when the alternatives are a list of constants (a select)."""
    if all(isinstance(a, dict) and "const" in a for a in alternatives):
        return " (choix possibles : " + ", ".join(str(a["const"]) for a in alternatives) + ")"
    return ""


def _field(error, extra=None):
    path = [str(p) for p in error.absolute_path]
    if extra is not None:
        path.append(extra)
    return ".".join(path)


def _describe(error):
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        return [(_field(error, name), "champ obligatoire") for name in expected if name not in instance]
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        return [(_field(error, name), "champ inconnu du formulaire")
                for name in error.instance if name not in allowed]
    messages = {
        "type": lambda: f"doit être {TYPE_NAMES.get(expected, expected) if isinstance(expected, str) else 'd’un type attendu'}",
        "format": lambda: f"doit être {FORMAT_NAMES.get(expected, expected)}",
        "enum": lambda: "valeur non autorisée (choix possibles : " + ", ".join(map(str, expected)) + ")",
        "const": lambda: f"doit valoir {expected!r}",
        "oneOf": lambda: "valeur non autorisée" + _choices_of(expected),
        "anyOf": lambda: "valeur non autorisée",
        "minimum": lambda: f"doit être supérieur ou égal à {expected}",
        "maximum": lambda: f"doit être inférieur ou égal à {expected}",
        "exclusiveMinimum": lambda: f"doit être strictement supérieur à {expected}",
        "exclusiveMaximum": lambda: f"doit être strictement inférieur à {expected}",
        "minLength": lambda: "ne doit pas être vide" if expected == 1 else f"au moins {expected} caractères",
        "maxLength": lambda: f"au plus {expected} caractères",
        "pattern": lambda: f"format invalide (motif attendu : {expected})",
        "minItems": lambda: f"au moins {expected} élément(s)",
        "maxItems": lambda: f"au plus {expected} élément(s)",
    }
    describe = messages.get(kind)
    return [(_field(error), describe() if describe else f"valeur invalide ({error.message})")]
