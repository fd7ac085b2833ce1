"""Full-mode benchmarks for ``make bench``. Each module here lists its ``BENCHMARKS``."""
