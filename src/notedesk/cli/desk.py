"""Opening the desk: `notedesk [--db URL]` and `notedesk --demo`."""

from __future__ import annotations

from notedesk import config, i18n, paths
from notedesk.store.connection import open_database


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
    from notedesk.tui.app import NotedeskApp  # Textual loads only for the desk

    NotedeskApp(target).run()
    return 0
