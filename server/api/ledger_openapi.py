"""The ledger's part of the OpenAPI document (server/api/ledger_routes.py)."""
from .openapi_parts import (
    BOOLEAN, IDENTIFIER, INTEGER, NULLABLE_STRING, STRING, json_content, obj, operation, path_parameter,
    query_parameter, ref,
)

DATE = {"type": "string", "description": "AAAA-MM-JJ ou JJ/MM/AAAA ; absente : aujourd’hui"}
SERIALS = {"description": "numéros des carnets : une liste, ou un texte (espaces, virgules, « | »)",
           "oneOf": [{"type": "array", "items": STRING}, STRING]}
COUNTS = {"type": "object", "additionalProperties": INTEGER, "description": "par format (5, 10 pass)"}
SCHEMAS = {
    "Campaign": obj({"id": INTEGER, "territory": STRING, "title": STRING, "instance_id": {"type": ["integer", "null"]},
                     "prescribers": {"type": "array", "items": STRING},
                     "mine": {"type": "array", "items": STRING, "description": "ceux pour qui vous enregistrez"}}),
    "Holdings": obj({"campagne": INTEGER, "territoire": STRING, "prescripteur": STRING, "carnets": COUNTS,
                     "confies": COUNTS, "numeros": {"type": "object", "additionalProperties": {
                         "type": "array", "items": STRING}},
                     "remises": {"type": "array", "items": obj({
                         "mouvement": INTEGER, "date": STRING, "beneficiaire": STRING, "public": STRING,
                         "carnets": INTEGER, "passes": INTEGER})}}),
    "HandoutRequest": obj({"prescripteur": STRING, "public": STRING, "carnets": SERIALS, "date": DATE,
                           "identifiant": {**NULLABLE_STRING, "description": "pseudonyme ; absent : généré"},
                           "tranche_age": NULLABLE_STRING, "commune": NULLABLE_STRING,
                           "qpv": {"description": "quartier prioritaire (booléen, ou oui/non)",
                                   "oneOf": [BOOLEAN, STRING]}}, required=["prescripteur", "public", "carnets"]),
    "ReturnRequest": obj({"prescripteur": STRING, "carnets": SERIALS, "date": DATE},
                         required=["prescripteur", "carnets"]),
    "TransferRequest": obj({"source": STRING, "destination": STRING, "carnets": SERIALS, "date": DATE},
                           required=["source", "destination", "carnets"]),
    "Move": obj({"move": INTEGER, "kind": STRING, "on": STRING, "booklets": {"type": "array", "items": STRING},
                 "passes": INTEGER, "beneficiary": STRING, "public": STRING},
                required=["move", "kind", "on", "booklets", "passes"]),
}
CAMPAIGN = path_parameter("campaign_id", IDENTIFIER)
CSV_BODY = {"multipart/form-data": {"schema": obj({"file": {"type": "string",
                                                            "contentMediaType": "text/csv"}})},
            "text/csv": {}}   # a binary body: described by its media type, without a schema


def _record(summary, request):
    return {"post": operation(summary, 201, ref("Move"), 403, 404, 409, 422, body=json_content(ref(request)),
                              parameters=[CAMPAIGN], tags=["ledger"])}


def _import(summary, result):
    return {"post": operation(summary + " : UTF-8 ou Windows-1252, « ; » ou « , », tout ou rien ; un refus "
                              "nomme chaque ligne et colonne", 201, result, 403, 404, 409, 422, body=CSV_BODY,
                              parameters=[CAMPAIGN], tags=["ledger"])}


PATHS = {
    "/campaigns": {"get": operation("Campagnes de distribution de vos territoires", 200,
                                    {"type": "array", "items": ref("Campaign")}, tags=["ledger"])},
    "/campaigns/{campaign_id}": {"get": operation(
        "Chiffres d’une campagne (carnets par lieu et format, par prescripteur, par public, par mois)", 200,
        {"type": "object"}, 403, 404, parameters=[CAMPAIGN], tags=["ledger"])},
    "/campaigns/{campaign_id}/holdings": {"get": operation(
        "Ce que détient un prescripteur et ses dernières remises", 200, ref("Holdings"), 403, 404, 422,
        parameters=[CAMPAIGN, {**query_parameter("prescripteur", {"type": "string", "minLength": 1, "maxLength": 500},
                                                 "nom du prescripteur"), "required": True}], tags=["ledger"])},
    "/campaigns/{campaign_id}/handouts": _record(
        "Remettre des carnets à une personne (agents du prescripteur)", "HandoutRequest"),
    "/campaigns/{campaign_id}/returns": _record("Rendre des carnets au stock", "ReturnRequest"),
    "/campaigns/{campaign_id}/transfers": _record("Transférer des carnets à un autre prescripteur", "TransferRequest"),
    "/campaigns/{campaign_id}/imports/handouts": _import(
        "Importer le tableau des remises d’un prescripteur",
        obj({"handouts": INTEGER, "booklets": INTEGER, "passes": INTEGER, "beneficiaries_created": INTEGER})),
    "/campaigns/{campaign_id}/imports/statements": _import(
        "Importer le relevé mensuel de l’émetteur (passes encaissés par lieu et mois)",
        obj({"statements": INTEGER, "passes": INTEGER})),
    "/campaigns/{campaign_id}/handouts/{move_id}/letter": {"get": {
        **operation("La lettre au bénéficiaire d’une remise (.docx)", 200, {"type": "string"}, 403, 404, 422,
                    parameters=[CAMPAIGN, path_parameter("move_id", IDENTIFIER)], tags=["ledger"]),
        "responses": {**operation("", 200, {"type": "string"}, 403, 404, 422)["responses"],
                      "200": {"description": "la lettre", "content": {
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}}}},
}
