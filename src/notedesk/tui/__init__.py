"""The screens: a thin Textual face over notedesk.services."""
