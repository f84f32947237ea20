"""Exit statuses of ``dekom-xl``."""

EXIT_OK, EXIT_DATA, EXIT_UNUSABLE, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as the shell reports it
