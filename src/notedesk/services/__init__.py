"""The operations a clerk can do, shared by the screens and the command line. Knows nothing of the terminal."""
