"""The OpenAPI 3.1 document of /api/v1, kept next to the routes it describes (tests check both agree)."""
from . import draft_openapi, handover_openapi, ledger_openapi
from .openapi_parts import (
    BOOLEAN, DATETIME, IDENTIFIER, INTEGER, NULLABLE_DATETIME, NULLABLE_INTEGER, NULLABLE_STRING, STATUSES, STRING,
    json_content, obj, operation, path_parameter, query_parameter, ref, responses,
)

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
    "started_at": DATETIME, "updated_at": DATETIME,
    "overdue_tasks": {**INTEGER, "description": "tâches en retard (dans « chains » seulement)"},
    "blocked_tasks": {**INTEGER, "description": "tâches bloquées (dans « chains » seulement)"}},
    required=["instance_id", "title", "process_id", "territory", "status", "error", "phase", "phase_name",
              "phases_done", "phases_total", "progress_pct", "started_at", "updated_at"])
NULLABLE_NUMBER = {"type": ["number", "null"]}
MONEY = {"type": ["string", "null"], "description": "euros, deux décimales (« 2500.00 »)"}
COMMITMENTS = {
    "territory": STRING, "name": STRING, "received": INTEGER, "handed": INTEGER, "pic_handed": INTEGER,
    "redeemed": INTEGER, "credited": INTEGER, "distribution_pct": NULLABLE_NUMBER, "usage_pct": NULLABLE_NUMBER,
    "pic_pct": NULLABLE_NUMBER, "pic_min_pct": NULLABLE_NUMBER,
    "pic_alert": {**BOOLEAN, "description": "part PIC sous le minimum des conditions de l’ANCT"},
    "beneficiaries": {**INTEGER, "description": "personnes détenant des carnets remis"},
    "priority_area_beneficiaries": {**INTEGER, "description": "dont habitant un quartier prioritaire"},
    "priority_area_pct": {**NULLABLE_NUMBER, "description": "part des bénéficiaires habitant un quartier "
                          "prioritaire de la politique de la ville, en %"},
    "money": obj({"order_face_value": MONEY, "issuer_fees": MONEY, "issuer_fee_pct": NULLABLE_NUMBER,
                  "order_total": MONEY, "paid_to_places": MONEY, "state_share_owed": MONEY,
                  "state_max_pct": NULLABLE_NUMBER, "terms_source": NULLABLE_STRING, "terms_from": NULLABLE_STRING})}
TERRITORY_DASHBOARD = obj({
    **COMMITMENTS, "campaigns": INTEGER,
    "by_campaign": {"type": "array", "items": obj({
        "campaign": INTEGER, "title": STRING, "opened_on": {"type": "string", "format": "date"},
        "received": INTEGER, "handed": INTEGER, "redeemed": INTEGER}),
        "description": "une campagne par année d’un déploiement pluriannuel, en passes"},
    "by_format": {"type": "array", "items": obj({
        "size": INTEGER, "received": INTEGER, "with_prescribers": INTEGER, "handed": INTEGER,
        "passes_received": INTEGER, "passes_handed": INTEGER})},
    "by_prescriber": {"type": "array", "items": obj({"prescriber": STRING, "with_prescriber": INTEGER,
                                                     "handed": INTEGER})},
    "by_public": {"type": "array", "items": obj({"public": STRING, "pic": BOOLEAN, "beneficiaries": INTEGER,
                                                 "passes": INTEGER})},
    "by_month": {"type": "array", "items": obj({"month": STRING, "handed": INTEGER, "redeemed": INTEGER})}})
ELEMENT_TIMES = obj({
    "process_id": STRING, "name": STRING, "xml": STRING,
    "elements": {"type": "array", "items": obj({
        "bpmn_id": STRING, "name": STRING, "completed": INTEGER, "median_hours": NULLABLE_NUMBER,
        "p90_hours": NULLABLE_NUMBER, "open": INTEGER, "open_median_hours": NULLABLE_NUMBER,
        "oldest_open_hours": NULLABLE_NUMBER,
        "wait_hours": {"type": "number", "description": "la médiane des fins, ou des attentes ouvertes si "
                       "elle est plus longue"},
        "heat": {**INTEGER, "description": "0 (non mesuré) à 5 (la médiane la plus longue)"}})}})

FIELD_ERRORS = {"type": "object", "additionalProperties": STRING,
                "description": "par champ du formulaire, le motif des contrôles du processus qui ont renvoyé "
                               "l’étape ({} : aucun, ou un motif qui ne nomme pas de champ)"}
SCHEMAS = {
    "Dashboard": DASHBOARD,
    "DashboardChain": DASHBOARD_CHAIN,
    "TerritoryDashboard": TERRITORY_DASHBOARD,
    "FollowUp": obj({"code": STRING, "lines": {"type": "array", "items": obj(COMMITMENTS)}}),
    "ElementTimes": ELEMENT_TIMES,
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
                 "due_at": NULLABLE_DATETIME,
                 "due_source": {**NULLABLE_STRING, "description": "l’échéance légale dont vient due_at "
                                "(null : un simple délai de traitement)"},
                 "due_time_zone": {**STRING, "description": "fuseau du territoire, où due_at est un jour"},
                 "claimed_by": NULLABLE_STRING},
                required=["id", "instance_id", "process_id", "name", "role", "state", "created_at", "due_at",
                          "due_source", "due_time_zone"]),
    "CompleteRequest": obj({"data": {"type": "object", "description": "les champs du formulaire"}}, required=[]),
    "Completion": obj({"instance_id": INTEGER, "task_id": STRING, "status": STRING,
                       "next_tasks": {"type": "array", "items": obj({"id": STRING, "name": STRING,
                                                                     "role": NULLABLE_STRING}),
                                      "description": "les tâches prêtes de l’instance après l’étape, de tous "
                                                     "les rôles"},
                       "your_tasks": {"type": "array", "items": ref("Task"),
                                      "description": "vos tâches prêtes de l’instance après l’étape, telles que "
                                                     "GET /tasks?instance_id= les donne (inutile de les lister)"},
                       "sent_back": {"oneOf": [obj({"id": STRING, "name": STRING, "role": NULLABLE_STRING,
                                                    "field_errors": FIELD_ERRORS}),
                                               {"type": "null"}],
                                     "description": "la tâche à reprendre quand les contrôles du processus "
                                                    "renvoient l’étape, sinon null"},
                       "late": {"oneOf": [obj({"days": INTEGER, "due_at": DATETIME, "message": STRING}),
                                          {"type": "null"}],
                                "description": "retard sur l’échéance légale (saisie acceptée), sinon null"},
                       "documents": {"type": "array", "items": ref("GeneratedDocument"),
                                     "description": "documents que l’étape a produits"},
                       "document_errors": {"type": "array", "items": obj({"template": STRING, "error": STRING}),
                                           "description": "documents de l’étape non produits, et pourquoi "
                                                          "(l’étape reste faite)"}},
                      required=["instance_id", "task_id", "status", "next_tasks", "your_tasks", "sent_back", "late"]),
    "Document": obj({"id": INTEGER, "instance_id": INTEGER, "template": STRING, "title": STRING,
                     "recipient": {**NULLABLE_STRING, "description": "destinataire d’un document établi par "
                                   "destinataire (lettre de rejet : le candidat évincé), sinon null"},
                     "revision": {**INTEGER, "description": "version, comptée par modèle et destinataire"},
                     "checksum": STRING, "template_version": STRING, "has_pdf": BOOLEAN,
                     "created_by": STRING, "created_at": DATETIME, "task_id": NULLABLE_STRING,
                     "reason": {**NULLABLE_STRING, "description": "pourquoi cette version a été faite : générée à "
                                "une étape, à la demande de quelqu’un, ou régénérée après une étape qui a "
                                "modifié ce qu’elle imprime (null pour les versions antérieures)"}}),
    "Attachment": obj({"id": INTEGER, "instance_id": INTEGER, "task_id": STRING, "task_name": NULLABLE_STRING,
                       "name": STRING, "media_type": {**STRING, "description": "lu dans le contenu du fichier"},
                       "size": {**INTEGER, "description": "octets"}, "size_text": STRING, "checksum": STRING,
                       "created_by": STRING, "created_at": DATETIME}),
    "GenerateRequest": obj({"template": STRING, "pdf": BOOLEAN, "recipient": {
        **NULLABLE_STRING, "description": "pour un document établi par destinataire : celui-là seulement ; "
                                          "absent : un document par destinataire"}}, required=["template"]),
    "Claim": obj({"task_id": STRING, "claimed_by": NULLABLE_STRING, "claimed_at": DATETIME},
                 required=["task_id", "claimed_by"]),
}
SCHEMAS["GeneratedDocument"] = {"allOf": [ref("Document"), obj({
    "pdf_note": {**NULLABLE_STRING, "description": "pourquoi le PDF demandé manque"}})]}
SCHEMAS["TaskWithForm"] = {"allOf": [ref("Task"), obj({
    "form": {"type": ["object", "null"], "description": "schéma JSON du formulaire"},
    "data": {"type": "object", "description": "données actuelles de la tâche"},
    "instructions": {**NULLABLE_STRING,
                     "description": "consignes de la tâche, telles que le modèle les écrit (Markdown)"},
    "field_errors": FIELD_ERRORS,
    "field_rules": {"type": "object", "description": "par champ, la règle que les contrôles du processus "
                    "appliqueront (hint : son énoncé ; min, max : ses bornes, null sinon)",
                    "additionalProperties": obj({"hint": STRING, "min": {"type": ["number", "null"]},
                                                 "max": {"type": ["number", "null"]}}, required=["hint"])}},
    required=["form", "data", "instructions", "field_errors", "field_rules"])]}
SCHEMAS["InstanceState"] = {"allOf": [ref("Instance"), obj({
    "open_tasks": {"type": "array", "items": ref("Task")},
    "waiting": {"type": "array", "items": obj({"id": STRING, "name": STRING, "state": STRING,
                                               "bpmn_id": NULLABLE_STRING, "process_id": STRING,
                                               "due_at": NULLABLE_DATETIME})},
    "data": {"type": "object"},
    "history": {"type": "array", "items": obj({"at": DATETIME, "actor": STRING, "role": NULLABLE_STRING,
                                               "action": STRING, "summary": STRING,
                                               "task_id": NULLABLE_STRING})},
    "completed_tasks": {"type": "array", "items": obj({"id": STRING, "name": STRING, "bpmn_id": STRING,
                                                       "process_id": STRING})}})]}

TASK_ID = path_parameter("task_id", STRING)
TERRITORY_QUERY = query_parameter("territory", {"type": "string", "minLength": 1, "maxLength": 100},
                                  "limiter à un territoire")
PORTFOLIO_QUERY = [
    query_parameter("phase", {"type": "string", "minLength": 1, "maxLength": 255}, "chaînes dans cette phase (identifiant du processus appelé)"),
    query_parameter("lateness", {"enum": ["en_retard", "bloquee", "en_erreur", "a_jour"]}, "chaînes selon leur retard"),
    query_parameter("sort", {"enum": ["procedure", "territoire", "etat", "phase", "avancement", "retard",
                                      "mise_a_jour"]}, "tri des chaînes"),
    query_parameter("order", {"enum": ["asc", "desc"]}, "ordre du tri")]
EXPORT_TABLES = ("territoires", "chaines", "retards", "echeances", "parcours", "formats", "prescripteurs", "publics",
                 "mois", "campagnes", "suivi_anct")
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
                          {"allOf": [ref("GeneratedDocument"),
                                     obj({"generated": {"type": "array", "items": ref("GeneratedDocument")}})]},
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
    "/tasks/{task_id}/attachments": {
        "get": operation("Pièces jointes d’une tâche", 200, {"type": "array", "items": ref("Attachment")}, 404,
                         parameters=[TASK_ID], tags=["attachments"]),
        "post": operation("Joindre un fichier à une tâche à faire (qui peut agir sur la tâche) : PDF, image ou "
                          "document bureautique, type vérifié d’après le contenu, taille limitée "
                          "(CONVENTIO_ATTACHMENT_MAX_MB)", 201, ref("Attachment"), 400, 403, 404, 409, 422,
                          body={"multipart/form-data": {"schema": obj({"file": {
                              "type": "string", "contentMediaType": "application/octet-stream"}})}},
                          parameters=[TASK_ID], tags=["attachments"])},
    "/instances/{instance_id}/attachments": {"get": operation(
        "Pièces jointes des tâches d’une instance", 200, {"type": "array", "items": ref("Attachment")}, 404,
        parameters=[path_parameter("instance_id", IDENTIFIER)], tags=["attachments"])},
    "/attachments/{attachment_id}": {"get": {
        **operation("Télécharger une pièce jointe", 200, {"type": "string"}, 404,
                    parameters=[path_parameter("attachment_id", IDENTIFIER)], tags=["attachments"]),
        "responses": {**responses(200, {"type": "string"}, 404),
                      "200": {"description": "le fichier, avec le type lu dans son contenu", "content": {
                          "application/octet-stream": {}, "application/pdf": {}, "image/*": {},
                          "application/*": {}}}}}},
    "/tasks/{task_id}/claim": {"post": operation(
        "Prendre une tâche dans la file de son rôle", 200, ref("Claim"), 400, 403, 404, 409,
        parameters=[TASK_ID], tags=["tasks"])},
    "/tasks/{task_id}/release": {"post": operation(
        "Remettre une tâche dans la file", 200, ref("Claim"), 400, 403, 404, 409, parameters=[TASK_ID],
        tags=["tasks"])},
    "/dashboard": {"get": operation(
        "Tableau de bord : chaînes, tâches en retard ou bloquées, erreurs, échéances, parcours des passes "
        "(vos territoires, ou l’un d’eux) ; chaînes filtrées et triées", 200, ref("Dashboard"), 404, 422,
        parameters=[TERRITORY_QUERY, *PORTFOLIO_QUERY], tags=["dashboard"])},
    "/dashboard/territories/{code}": {"get": operation(
        "Un territoire : passes par format, prescripteur, public et mois ; l’argent ; engagements ANCT", 200,
        ref("TerritoryDashboard"), 404, parameters=[path_parameter("code", STRING)], tags=["dashboard"])},
    "/dashboard/follow-up/{code}": {"get": operation(
        "Tableau de suivi ANCT d’un territoire ou d’un regroupement (ses territoires que vous voyez)", 200,
        ref("FollowUp"), 404, parameters=[path_parameter("code", STRING)], tags=["dashboard"])},
    "/dashboard/exports/{table}": {"get": {
        **operation("Un tableau du tableau de bord en CSV ou XLSX", 200, {"type": "string"}, 404, 422,
                    parameters=[path_parameter("table", {"enum": sorted(EXPORT_TABLES)}),
                                query_parameter("format", {"enum": ["csv", "xlsx"]}, "csv (par défaut) ou xlsx"),
                                {**TERRITORY_QUERY, "description": "un territoire (un regroupement pour suivi_anct) ; "
                                 "obligatoire pour formats, prescripteurs, publics et mois"}, *PORTFOLIO_QUERY],
                    tags=["dashboard"]),
        "responses": {**responses(200, {"type": "string"}, 404, 422),
                      "200": {"description": "le fichier", "content": {
                          "text/csv": {},
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}}},
    "/dashboard/analytics/{process_id}": {"get": operation(
        "Temps passé à chaque élément BPMN d’un processus (médiane, 90e centile), pour la carte de chaleur",
        200, ref("ElementTimes"), 404, parameters=[path_parameter("process_id", STRING)], tags=["dashboard"])},
    "/openapi.json": {"get": operation("Ce document", 200, {"type": "object"}, public=True, tags=["meta"])},
}

PATHS.update(ledger_openapi.PATHS)
SCHEMAS.update(ledger_openapi.SCHEMAS)
PATHS.update(handover_openapi.PATHS)
SCHEMAS.update(handover_openapi.SCHEMAS)
PATHS.update(draft_openapi.PATHS)
SCHEMAS.update(draft_openapi.SCHEMAS)


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
