"""`python -m notedesk` runs the command line."""

from notedesk.cli import main

raise SystemExit(main())
