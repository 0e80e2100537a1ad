"""argparse's own words ("usage:", "error:", "options"...), listed so the catalog extractor finds them.

argparse translates them with module-level gettext calls; cli.main points those at notedesk's
catalog (i18n), so `notedesk --lang zh --help` and a usage error read in Chinese too. Never called:
this module only holds the message ids, exactly as argparse (Python 3.11–3.13) writes them.
"""

from notedesk.i18n import _, ngettext


def _messages() -> None:  # pragma: no cover - read by Babel (pybabel extract), not run
    _("usage: ")
    _("positional arguments")
    _("options")
    _("show this help message and exit")
    _("%(prog)s: error: %(message)s\n")
    _("the following arguments are required: %s")
    _("one of the arguments %s is required")
    _("unrecognized arguments: %s")
    _("argument %(argument_name)s: %(message)s")
    _("invalid choice: %(value)r (choose from %(choices)s)")
    _("invalid %(type)s value: %(value)r")
    _("expected one argument")
    _("expected at most one argument")
    _("expected at least one argument")
    ngettext("expected %s argument", "expected %s arguments", 2)
    _("ambiguous option: %(option)s could match %(matches)s")
    _("not allowed with argument %s")
    _("ignored explicit argument %r")
    _("unknown parser %(parser_name)r (choices: %(choices)s)")
    _("can't open '%(filename)s': %(error)s")
