"""What a task's page shows of the documents of its instance: the current version of each,
readable in the page (its text), with its downloads."""
from ..documents.preview import preview_blocks
from .documents import document_file, list_documents


def current_documents(app, instance_id, actor):
    """The latest revision of each document of the instance (one per template and recipient),
    most recent first."""
    latest = {}
    for document in list_documents(app, instance_id, actor):
        latest[(document["template"], document["recipient"])] = document   # listed by revision
    return sorted(latest.values(), key=lambda d: (d["created_at"], d["id"]), reverse=True)


def document_preview(app, document, actor):
    """The document's text as blocks (documents/preview.py), read from the storage and checked;
    (blocks, truncated)."""
    content, _name, _type = document_file(app, document["id"], actor)
    return preview_blocks(content)
