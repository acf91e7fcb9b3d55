"""The OpenAPI 3.1 document of /api/v1, kept next to the routes it describes (tests check both agree)."""

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
# identifiers and versions are INTEGER columns (32 bits on PostgreSQL); a path beyond is a 404
IDENTIFIER = {"type": "integer", "minimum": 1, "maximum": 2 ** 31 - 1}
STATUSES = ["running", "completed", "error"]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties, required=None, extra=True):
    schema = {"type": "object", "properties": properties,
              "required": sorted(properties) if required is None else required}
    if not extra:
        schema["additionalProperties"] = False
    return schema


NULLABLE_INTEGER = {"type": ["integer", "null"]}
DASHBOARD = obj({
    "generated_at": DATETIME, "territory": NULLABLE_STRING, "stale_days": INTEGER,
    "territories": {"type": "array", "items": obj({
        "territory": NULLABLE_STRING, "name": NULLABLE_STRING, "instances": INTEGER, "running": INTEGER,
        "errors": INTEGER, "overdue": INTEGER, "blocked": INTEGER})},
    "chains": {"type": "array", "items": ref("DashboardChain")},
    "errors": {"type": "array", "items": ref("DashboardChain")},
    "late_tasks": {"type": "array", "items": obj({
        "task_id": STRING, "instance_id": INTEGER, "title": NULLABLE_STRING, "territory": NULLABLE_STRING,
        "name": NULLABLE_STRING, "role": NULLABLE_STRING, "role_label": NULLABLE_STRING,
        "held_by": {**NULLABLE_STRING, "description": "qui l’a prise (null : dans la file de son rôle)"},
        "since": DATETIME, "days": INTEGER, "due_at": NULLABLE_DATETIME, "overdue": BOOLEAN})},
    "deadlines": {"type": "array", "items": obj({
        "territory": NULLABLE_STRING, "instance_id": NULLABLE_INTEGER, "what": STRING,
        "due_on": {"type": "string", "format": "date"}})},
    "funnel": {"type": "array", "items": obj({
        "territory": STRING, "received": INTEGER, "with_prescribers": INTEGER, "handed": INTEGER,
        "redeemed": INTEGER, "credited": INTEGER, "lost": INTEGER, "in_stock": INTEGER,
        "usage_pct": {"type": ["number", "null"], "description": "encaissés / remis, en %"}},
        ), "description": "en passes (un carnet de 10 en compte 10)"},
})
DASHBOARD_CHAIN = obj({
    "instance_id": INTEGER, "title": NULLABLE_STRING, "process_id": STRING, "territory": NULLABLE_STRING,
    "status": {"enum": STATUSES}, "error": NULLABLE_STRING, "phase": STRING, "phase_name": STRING,
    "phases_done": INTEGER, "phases_total": INTEGER, "progress_pct": INTEGER,
    "started_at": DATETIME, "updated_at": DATETIME})

SCHEMAS = {
    "Dashboard": DASHBOARD,
    "DashboardChain": DASHBOARD_CHAIN,
    "Error": obj({"error": {**STRING, "description": "code stable (conflit, interdit, donnees_invalides…)"},
                  "message": {**STRING, "description": "message en français, pour l’utilisateur"},
                  "details": {"description": "précisions : erreurs par champ, problèmes d’un modèle…"}}),
    "TokenRequest": obj({"username": STRING, "password": STRING}),
    "Token": obj({"token": STRING, "token_type": {"const": "Bearer"}, "expires_in": INTEGER, "username": STRING}),
    "Definition": obj({"process_id": STRING, "name": STRING, "version": INTEGER, "content_hash": STRING,
                       "deployed_at": DATETIME, "deployed_by": STRING}),
    "Deployed": obj({"process_id": STRING, "name": STRING, "version": INTEGER, "content_hash": STRING,
                     "created": BOOLEAN, "warnings": {"type": "array", "items": STRING}}),
    "StartForm": obj({"process_id": STRING, "name": STRING, "version": INTEGER,
                      "form": {"type": ["object", "null"],
                               "description": "schéma JSON des données de départ (null : aucune demandée)"}}),
    "StartRequest": obj({"data": {"type": "object", "description": "données de départ, validées par le "
                                                                   "formulaire de démarrage (GET …/start-form)"},
                         "territory": {**NULLABLE_STRING, "description": "un de vos territoires"},
                         "title": NULLABLE_STRING,
                         "version": {**IDENTIFIER, "type": ["integer", "null"],
                                     "description": "version du modèle (absente : la dernière)"}}, required=[]),
    "Instance": obj({"id": INTEGER, "process_id": STRING, "version": {"type": ["integer", "null"]},
                     "title": NULLABLE_STRING, "territory": NULLABLE_STRING,
                     "status": {"enum": STATUSES}, "error": NULLABLE_STRING,
                     "started_by": STRING, "started_at": DATETIME, "updated_at": DATETIME,
                     "completed_at": NULLABLE_DATETIME, "next_timer_at": NULLABLE_DATETIME}),
    "Task": obj({"id": STRING, "instance_id": INTEGER, "process_id": STRING, "bpmn_id": NULLABLE_STRING,
                 "name": STRING, "lane": NULLABLE_STRING, "role": NULLABLE_STRING, "role_label": NULLABLE_STRING,
                 "state": STRING, "territory": NULLABLE_STRING, "created_at": DATETIME,
                 "due_at": NULLABLE_DATETIME, "claimed_by": NULLABLE_STRING},
                required=["id", "instance_id", "process_id", "name", "role", "state", "created_at", "due_at"]),
    "CompleteRequest": obj({"data": {"type": "object", "description": "les champs du formulaire"}}, required=[]),
    "Completion": obj({"instance_id": INTEGER, "task_id": STRING, "status": STRING,
                       "next_tasks": {"type": "array", "items": obj({"id": STRING, "name": STRING,
                                                                     "role": NULLABLE_STRING}),
                                      "description": "les tâches prêtes de l’instance après l’étape, de tous "
                                                     "les rôles"},
                       "your_tasks": {"type": "array", "items": ref("Task"),
                                      "description": "vos tâches prêtes de l’instance après l’étape, telles que "
                                                     "GET /tasks?instance_id= les donne (inutile de les lister)"},
                       "documents": {"type": "array", "items": ref("Document"),
                                     "description": "documents que l’étape a produits"},
                       "document_errors": {"type": "array", "items": obj({"template": STRING, "error": STRING}),
                                           "description": "documents de l’étape non produits, et pourquoi "
                                                          "(l’étape reste faite)"}},
                      required=["instance_id", "task_id", "status", "next_tasks", "your_tasks"]),
    "Document": obj({"id": INTEGER, "instance_id": INTEGER, "template": STRING, "title": STRING,
                     "recipient": {**NULLABLE_STRING, "description": "destinataire d’un document établi par "
                                   "destinataire (lettre de rejet : le candidat évincé), sinon null"},
                     "revision": {**INTEGER, "description": "version, comptée par modèle et destinataire"},
                     "checksum": STRING, "template_version": STRING, "has_pdf": BOOLEAN,
                     "created_by": STRING, "created_at": DATETIME, "task_id": NULLABLE_STRING}),
    "GenerateRequest": obj({"template": STRING, "pdf": BOOLEAN, "recipient": {
        **NULLABLE_STRING, "description": "pour un document établi par destinataire : celui-là seulement ; "
                                          "absent : un document par destinataire"}}, required=["template"]),
    "Claim": obj({"task_id": STRING, "claimed_by": NULLABLE_STRING, "claimed_at": DATETIME},
                 required=["task_id", "claimed_by"]),
}
SCHEMAS["TaskWithForm"] = {"allOf": [ref("Task"), obj({
    "form": {"type": ["object", "null"], "description": "schéma JSON du formulaire"},
    "data": {"type": "object", "description": "données actuelles de la tâche"}})]}
SCHEMAS["InstanceState"] = {"allOf": [ref("Instance"), obj({
    "open_tasks": {"type": "array", "items": ref("Task")},
    "waiting": {"type": "array", "items": obj({"id": STRING, "name": STRING, "state": STRING,
                                               "due_at": NULLABLE_DATETIME})},
    "data": {"type": "object"},
    "history": {"type": "array", "items": obj({"at": DATETIME, "actor": STRING, "role": NULLABLE_STRING,
                                               "action": STRING, "summary": STRING,
                                               "task_id": NULLABLE_STRING})},
    "completed_tasks": {"type": "array", "items": obj({"id": STRING, "name": STRING, "bpmn_id": STRING,
                                                       "process_id": STRING})}})]}

ERROR_TEXTS = {400: "requête invalide (caractère nul, jeton CSRF manquant)", 401: "non authentifié",
               403: "interdit pour votre rôle", 404: "introuvable dans vos territoires",
               409: "conflit : déjà fait, pris par un autre, ou modifié entre-temps",
               422: "données invalides (détails par champ : JSON mal formé ou trop imbriqué, texte avec un "
                    "caractère nul ou une demi-paire UTF-16 isolée…) ou modèle refusé",
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


TASK_ID = path_parameter("task_id", STRING)
FILES = {"type": "array", "items": {"type": "string", "contentMediaType": "application/octet-stream"}}
PATHS = {
    "/auth/token": {"post": operation(
        "Obtenir un jeton d’API", 200, ref("Token"), 400, 401, 403, 422, 429, 503,
        body=json_content(ref("TokenRequest")), public=True, tags=["auth"]),
        "delete": {**operation("Révoquer le jeton de la requête avant son expiration (400 sans jeton)", 204, {},
                               400, tags=["auth"]),
                   "responses": {**responses(204, {}, 400), "204": {"description": "jeton révoqué"}}}},
    "/users/{username}/sessions": {"delete": operation(
        "Fermer toutes les sessions et tous les jetons d’un utilisateur (administrateurs)", 200,
        obj({"username": STRING, "ended": {**INTEGER, "description": "sessions et jetons fermés"}}), 400, 403, 404,
        parameters=[path_parameter("username", STRING)], tags=["users"])},
    "/processes": {
        "get": operation("Modèles déployés (toutes versions)", 200, {"type": "array", "items": ref("Definition")},
                         tags=["processes"]),
        "post": operation("Déployer un jeu de fichiers BPMN/DMN/formulaires (administrateurs)", 201,
                          obj({"deployed": {"type": "array", "items": ref("Deployed")}}), 400, 403, 409, 422,
                          body={"multipart/form-data": {"schema": obj({"files": FILES})}},
                          tags=["processes"])},
    "/processes/{process_id}/start-form": {"get": operation(
        "Le formulaire de démarrage d’un processus (dernière version, ou celle demandée)", 200, ref("StartForm"),
        404, 422, parameters=[path_parameter("process_id", STRING),
                              query_parameter("version", IDENTIFIER, "version du modèle")], tags=["processes"])},
    "/processes/{process_id}/instances": {"post": operation(
        "Démarrer une instance (données validées par le formulaire de démarrage)", 201, ref("Instance"),
        400, 403, 404, 422,
        body=json_content(ref("StartRequest")), parameters=[path_parameter("process_id", STRING)],
        tags=["instances"])},
    "/instances": {"get": operation(
        "Instances de vos territoires", 200, {"type": "array", "items": ref("Instance")}, 422,
        parameters=[query_parameter("status", {"enum": STATUSES}, "running, completed, error"),
                    query_parameter("process_id", STRING, "identifiant du processus")], tags=["instances"])},
    "/instances/{instance_id}": {"get": operation(
        "État d’une instance : phase, tâches ouvertes, historique", 200, ref("InstanceState"), 404,
        parameters=[path_parameter("instance_id", IDENTIFIER)], tags=["instances"])},
    "/instances/{instance_id}/documents": {
        "get": operation("Documents d’une instance (toutes versions)", 200,
                         {"type": "array", "items": ref("Document")}, 404,
                         parameters=[path_parameter("instance_id", IDENTIFIER)], tags=["documents"]),
        "post": operation("Générer ou régénérer un document (service juridique) ; un document établi par "
                          "destinataire en donne un par destinataire, tous listés dans generated", 201,
                          {"allOf": [ref("Document"), obj({"generated": {"type": "array",
                                                                         "items": ref("Document")},
                                                           "pdf_note": {**NULLABLE_STRING, "description":
                                                                        "pourquoi le PDF demandé manque"}},
                                                          required=["generated"])]},
                          400, 403, 404, 422, body=json_content(ref("GenerateRequest")),
                          parameters=[path_parameter("instance_id", IDENTIFIER)], tags=["documents"])},
    "/documents/{document_id}": {"get": {
        **operation("Télécharger un document (.docx, ou PDF avec format=pdf)", 200, {"type": "string"}, 404, 422,
                    parameters=[path_parameter("document_id", IDENTIFIER),
                                query_parameter("format", {"enum": ["docx", "pdf"]}, "pdf pour le PDF")],
                    tags=["documents"]),
        "responses": {**responses(200, {"type": "string"}, 404, 422),
                      "200": {"description": "le fichier", "content": {
                          # binary bodies: OpenAPI 3.1 describes them by media type, without a schema
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {},
                          "application/pdf": {}}}}}},
    "/tasks": {"get": operation(
        "Vos tâches à faire (vos rôles, vos territoires)", 200, {"type": "array", "items": ref("Task")}, 422,
        parameters=[query_parameter("instance_id", IDENTIFIER, "limiter à une instance")], tags=["tasks"])},
    "/tasks/{task_id}": {"get": operation(
        "Une tâche avec son formulaire", 200, ref("TaskWithForm"), 403, 404, parameters=[TASK_ID],
        tags=["tasks"])},
    "/tasks/{task_id}/complete": {"post": operation(
        "Terminer une tâche", 200, ref("Completion"), 400, 403, 404, 409, 422,
        body=json_content(ref("CompleteRequest")), parameters=[TASK_ID], tags=["tasks"])},
    "/tasks/{task_id}/claim": {"post": operation(
        "Prendre une tâche dans la file de son rôle", 200, ref("Claim"), 400, 403, 404, 409,
        parameters=[TASK_ID], tags=["tasks"])},
    "/tasks/{task_id}/release": {"post": operation(
        "Remettre une tâche dans la file", 200, ref("Claim"), 400, 403, 404, 409, parameters=[TASK_ID],
        tags=["tasks"])},
    "/dashboard": {"get": operation(
        "Tableau de bord : chaînes, tâches en retard ou bloquées, erreurs, échéances, parcours des passes "
        "(vos territoires, ou l’un d’eux)", 200, ref("Dashboard"), 404, 422,
        parameters=[query_parameter("territory", {"type": "string", "minLength": 1, "maxLength": 100},
                                    "limiter à un territoire")], tags=["dashboard"])},
    "/openapi.json": {"get": operation("Ce document", 200, {"type": "object"}, public=True, tags=["meta"])},
}


def openapi_document(app=None):
    paths = {}
    for path, operations in PATHS.items():
        paths[path] = {}
        for method, op in operations.items():
            op = dict(op, operationId=f"{method}_{path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}")
            paths[path][method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Conventio API", "version": "1",
                 "description": "Moteur de workflow BPMN des conventions et achats des collectivités. "
                                "Erreurs : {\"error\", \"message\", \"details\"} avec le statut HTTP adapté ; "
                                "une requête refusée ne change rien."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "jeton de POST /auth/token (valable 8 h par défaut)"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "conventio_session",
                                  "description": "session des pages ; écritures avec l’en-tête X-CSRFToken"},
            },
        },
    }
