"""The deadline grammar: a clerk's Chinese or English deadline text -> date, window, or what was not understood.

`notedesk.deadlines.parse_deadline` is the entry point; reading.py says how a text is read.
"""
