"""What the services raise: every one a NotedeskError with a one-line message."""

from notedesk import labels
from notedesk.errors import NotedeskError
from notedesk.store.errors import StoreError


class ServiceError(NotedeskError):
    pass


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError, ValueError):
    """Bad data; `where` names the order and field when known."""

    def __init__(self, message: str, where: str = ""):
        self.where = where
        super().__init__(labels.labelled(labels.field_path(where), message) if where else message)


class Conflict(ServiceError):
    """Another clerk saved first; `current` holds what is stored now (a NoteView or OrderDetail)."""

    def __init__(self, message: str, current=None):
        self.current = current
        super().__init__(message)


__all__ = ["ServiceError", "NotFound", "InvalidInput", "Conflict", "StoreError"]
