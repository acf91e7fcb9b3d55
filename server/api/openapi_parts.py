"""The pieces the OpenAPI document of /api/v1 is written with (server/api/openapi.py and the
ledger's part, server/api/ledger_openapi.py)."""
from workflows.states import InstanceStatus

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
# identifiers and versions are INTEGER columns (32 bits on PostgreSQL); a path beyond is a 404
IDENTIFIER = {"type": "integer", "minimum": 1, "maximum": 2 ** 31 - 1}
STATUSES = [status.value for status in InstanceStatus]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties, required=None, extra=True):
    schema = {"type": "object", "properties": properties,
              "required": sorted(properties) if required is None else required}
    if not extra:
        schema["additionalProperties"] = False
    return schema


NULLABLE_INTEGER = {"type": ["integer", "null"]}


ERROR_TEXTS = {400: "requête invalide (caractère nul, jeton CSRF manquant)", 401: "non authentifié",
               403: "interdit pour votre rôle", 404: "introuvable dans vos territoires",
               409: "conflit : déjà fait, pris par un autre, ou modifié entre-temps",
               422: "données invalides (détails par champ : JSON mal formé ou trop imbriqué, texte avec un "
                    "caractère nul ou une demi-paire UTF-16 isolée…) ou modèle refusé",
               413: "trop volumineux",
               429: "trop d’échecs de connexion",
               503: "service momentanément indisponible (base de données, annuaire LDAP) : réessayez "
                    "(en-tête Retry-After)"}


def json_content(schema):
    return {"application/json": {"schema": schema}}


def responses(success_status, success_schema, *errors, authenticated=True):
    """Every operation may answer 400 (a NUL in the request) and 503 (the database down)."""
    result = {str(success_status): {"description": "succès", "content": json_content(success_schema)}}
    for status in sorted({*errors, 400, 503, *((401,) if authenticated else ())}):
        result[str(status)] = {"description": ERROR_TEXTS[status], "content": json_content(ref("Error"))}
    return result


def operation(summary, success_status, success_schema, *errors, body=None, parameters=None, public=False,
              tags=()):
    op = {"summary": summary, "tags": list(tags),
          "responses": responses(success_status, success_schema, *errors, authenticated=not public)}
    if public:
        op["security"] = []
    if body is not None:
        op["requestBody"] = {"required": True, "content": body}
    if parameters:
        op["parameters"] = parameters
    return op


def path_parameter(name, schema):
    return {"name": name, "in": "path", "required": True, "schema": schema}


def query_parameter(name, schema, description):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
