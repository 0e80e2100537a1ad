"""Opening the desk: `notedesk [--db URL]` and `notedesk --demo`."""

from __future__ import annotations

from notedesk import config, i18n, paths
from notedesk.errors import NotedeskError
from notedesk.services import lenses, listing
from notedesk.services.database import open_database


def run_desk(args) -> int:
    i18n.set_language(i18n.detect_language(args.lang, config.settings().lang))
    if args.demo:
        target = str(paths.demo_database())
        open_database(target)
        from notedesk import demo

        demo.ensure_demo_data()
    else:
        target = config.database_url(args.db)
        open_database(target)
    # The home list's first rows, read now, while nothing else runs (~20 ms at 100,000 orders): read
    # by a worker once the app was up, they shared the GIL with Textual's start and came frames later.
    lens = args.lens or config.settings().lens or "all"
    try:
        first = listing.first_screen(lenses.lens_query(lens))
    except NotedeskError:
        first = None  # the list asks again once it is up, and shows what went wrong
    from notedesk.tui import input_patch
    from notedesk.tui.app import NotedeskApp  # Textual loads only for the desk

    # Before run(): the driver's input thread builds its UTF-8 decoder as it starts, and a strict
    # one dies on the first Latin-1 byte a misconfigured terminal sends (Textual #6456).
    input_patch.install()
    NotedeskApp(target, first=first, lens=lens).run()
    return 0
