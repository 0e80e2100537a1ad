"""notedesk: a keyboard-driven terminal desk for customer order notes."""

__version__ = "0.1.0"
