"""Handing work over: the OpenAPI part of server/api/handover_routes.py."""
from .openapi_parts import DATETIME, INTEGER, STRING, json_content, obj, operation, path_parameter, query_parameter, ref

DAY = {"type": "string", "format": "date", "description": "AAAA-MM-JJ, dans le fuseau du territoire de l’absent"}
USERNAME = {"type": "string", "minLength": 1, "maxLength": 255}
SCHEMAS = {
    "Colleague": obj({"username": STRING, "display_name": STRING}),
    "ReassignRequest": obj({"user": {**USERNAME, "description": "identifiant du collègue"}}),
    "Absence": obj({"id": INTEGER, "username": STRING, "substitute": STRING, "starts_at": DATETIME,
                    "ends_at": {**DATETIME, "description": "exclue : minuit après le dernier jour"},
                    "declared_by": STRING, "declared_at": DATETIME}),
    "AbsenceRequest": obj({"username": {**USERNAME, "description": "l’absent ; par défaut, vous"},
                           "substitute": USERNAME, "first_day": DAY, "last_day": DAY},
                          required=["substitute", "first_day", "last_day"]),
    "AbsenceChange": obj({"last_day": {**DAY, "description": "le nouveau dernier jour : aujourd’hui ou après, "
                                                            "avant l’actuel"}}, required=["last_day"]),
}
TASK_ID = path_parameter("task_id", STRING)
ABSENCE_ID = path_parameter("absence_id", INTEGER)

PATHS = {
    "/tasks/{task_id}/colleagues": {"get": operation(
        "Les collègues à qui la direction peut confier la tâche (son rôle, son territoire)", 200,
        {"type": "array", "items": ref("Colleague")}, 403, 404, 409, parameters=[TASK_ID], tags=["tasks"])},
    "/tasks/{task_id}/reassign": {"post": operation(
        "Confier une tâche à un collègue (direction du territoire) : la prise en charge passe à lui ; "
        "refusé (422) s’il n’a pas le rôle de la tâche dans son territoire", 200, ref("Claim"), 403, 404, 409, 422,
        body=json_content(ref("ReassignRequest")), parameters=[TASK_ID], tags=["tasks"])},
    "/absences": {
        "get": operation("Vos absences à venir ou en cours, et celles où vous remplacez (ou celles d’un "
                         "collègue, pour la direction de son territoire)", 200,
                         {"type": "array", "items": ref("Absence")}, 403, 404,
                         parameters=[query_parameter("username", STRING, "un collègue")], tags=["absences"]),
        "post": operation("Déclarer une absence et son remplaçant, qui pourra prendre les tâches prises par "
                          "l’absent ; finit d’elle-même au dernier jour", 201, ref("Absence"), 403, 422,
                          body=json_content(ref("AbsenceRequest")), tags=["absences"])},
    "/absences/{absence_id}": {
        "delete": operation("Annuler une absence (déclarée par erreur, ou finie plus tôt) : à venir, elle est "
                            "retirée ; en cours, elle finit maintenant et le remplaçant ne prend plus les tâches "
                            "de l’absent. Par l’absent, qui l’a déclarée, la direction de son territoire ou un "
                            "administrateur ; une absence terminée ne change plus (409). L’absence telle "
                            "qu’elle était", 200, ref("Absence"), 403, 404, 409,
                            parameters=[ABSENCE_ID], tags=["absences"]),
        "patch": operation("Avancer le dernier jour d’une absence (mêmes personnes) ; refusé (422) pour un jour "
                           "passé ou qui ne l’avance pas, (409) pour une absence terminée", 200, ref("Absence"),
                           403, 404, 409, 422, body=json_content(ref("AbsenceChange")),
                           parameters=[ABSENCE_ID], tags=["absences"])},
}
