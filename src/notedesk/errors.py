"""The root of every error notedesk explains in one line (the command line and the desk catch it)."""


class NotedeskError(Exception):
    """A failure a clerk can read: str(e) is one line, without a traceback or credentials."""
