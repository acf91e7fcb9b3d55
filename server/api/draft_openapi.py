"""A task's draft: the OpenAPI part of server/api/draft_routes.py."""
from workflows.services.drafts import DRAFT_LIMIT

from .openapi_parts import BOOLEAN, DATETIME, STRING, json_content, obj, operation, path_parameter, ref

VALUES = {"type": "object", "description": "les valeurs du formulaire telles que saisies (elles n’ont pas à être "
          f"valides) ; {DRAFT_LIMIT // 1024} Ko de JSON au plus"}
SCHEMAS = {
    "TaskDraft": obj({"task_id": STRING, "values": VALUES, "saved_by": STRING, "saved_by_name": STRING,
                      "saved_at": DATETIME}),
    "TaskDraftRequest": obj({"values": VALUES}),
    "TaskDraftDiscarded": obj({"task_id": STRING, "discarded": {**BOOLEAN, "description": "faux s’il n’y en avait pas"}}),
}
TASK_ID = path_parameter("task_id", STRING)

PATHS = {
    "/tasks/{task_id}/draft": {
        "get": operation("Le brouillon de la tâche (404 s’il n’y en a pas) : pour qui peut ouvrir la tâche", 200,
                         ref("TaskDraft"), 403, 404, parameters=[TASK_ID], tags=["tasks"]),
        "put": operation("Enregistrer le brouillon de la tâche, qui remplace le précédent : pour qui peut la "
                         "terminer (tâche à faire, non prise par un collègue) ; non journalisé, supprimé quand "
                         "la tâche est terminée ou annulée", 200, ref("TaskDraft"), 403, 404, 409, 413, 422,
                         body=json_content(ref("TaskDraftRequest")), parameters=[TASK_ID], tags=["tasks"]),
        "delete": operation("Effacer le brouillon de la tâche (mêmes droits que l’enregistrer)", 200,
                            ref("TaskDraftDiscarded"), 403, 404, 409, parameters=[TASK_ID], tags=["tasks"]),
    },
}
