"""Files on an order from the command line:

    notedesk attach NUMBER FILE... [--kind KIND]          attach files (all or none)
    notedesk attachments NUMBER [--format text|json]      list them (name, kind, type, size, who, when)
    notedesk attachment NUMBER NAME [-o FILE]             save one out (stdout when it is not a terminal)
    notedesk detach NUMBER NAME                           take one off (the timeline keeps it)
"""

from __future__ import annotations

import json
import os
import sys

from notedesk import clock, safe_output
from notedesk.cli.session import open_db
from notedesk.domain import NOTE_KINDS
from notedesk.errors import NotedeskError
from notedesk.i18n import _
from notedesk.services import attachments
from notedesk.services.attachment_files import size_text
from notedesk.services.types import AttachmentView
from notedesk.text import cell_width, one_line


def register(sub, common) -> None:
    p = sub.add_parser("attach", parents=[common], help=_("attach files to an order (drawings, artwork, photos)"))
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--kind", choices=NOTE_KINDS, default=None, help=_("file them under this note"))
    p.set_defaults(run=run_attach)

    p = sub.add_parser("attachments", parents=[common], help=_("list an order's attachments"))
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run_list)

    p = sub.add_parser("attachment", parents=[common],
                       help=_("save an attachment to a file, or to stdout when that is not a terminal"))
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("name", metavar="NAME")
    p.add_argument("-o", "--output", metavar="FILE",
                   help=_("write to FILE (a new file appears whole or not at all) instead of stdout"))
    p.set_defaults(run=run_save)

    p = sub.add_parser("detach", parents=[common], help=_("take an attachment off an order (kept on the timeline)"))
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(run=run_detach)


def local_text(at) -> str:
    return at.astimezone(clock.business_tz()).strftime("%Y-%m-%d %H:%M")


def _kind_label(kind: str) -> str:
    from notedesk.labels import note_kind_label

    return note_kind_label(kind) if kind else _("Order")


def run_attach(args) -> int:
    open_db(args)
    for view in attachments.attach_files(args.number, args.files, kind=args.kind):
        print(_("{number}: attached {name} ({type}, {size})").format(
            number=one_line(args.number), name=one_line(view.name), type=view.type, size=size_text(view.size)))
    return 0


def as_json(view: AttachmentView) -> dict:
    return {"name": view.name, "kind": view.kind, "type": view.type, "size": view.size, "sha256": view.sha256,
            "clerk": view.clerk, "at": view.at.isoformat()}


def text_lines(views: list[AttachmentView]) -> list[str]:
    """One aligned line per attachment: name, kind, type, size, clerk, when (every stored string one line)."""
    rows = [(one_line(v.name), _kind_label(v.kind), v.type, size_text(v.size), one_line(v.clerk), local_text(v.at))
            for v in views]
    widths = [max((cell_width(r[i]) for r in rows), default=0) for i in range(5)]
    return ["  ".join([*(r[i] + " " * (widths[i] - cell_width(r[i])) for i in range(5)), r[5]]) for r in rows]


def run_list(args) -> int:
    open_db(args, create=False)
    views = attachments.list_attachments(args.number)
    if args.format == "json":
        json.dump([as_json(v) for v in views], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for line in text_lines(views):
        print(line)
    return 0


def run_save(args) -> int:
    if args.output is None and os.isatty(sys.stdout.fileno()):
        raise NotedeskError(_("stdout is a terminal: give -o FILE, or send it to a file or a program"))
    open_db(args, create=False)
    dest = args.output or "-"
    with safe_output.output(dest, binary=True) as out:
        view = attachments.save_to(args.number, args.name, out.write)
    if dest != "-":
        print(_("saved {name} ({size}) to {file}").format(name=one_line(view.name), size=size_text(view.size),
                                                          file=one_line(dest)), file=sys.stderr)
    return 0


def run_detach(args) -> int:
    open_db(args)
    view = attachments.remove_attachment(args.number, args.name)
    print(_("{number}: removed {name}").format(number=one_line(args.number), name=one_line(view.name)))
    return 0
