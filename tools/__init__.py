"""Developer tools behind the Makefile (not part of the reader-facing cnnrnn package)."""
