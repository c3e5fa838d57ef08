"""tkconsole's benchmarks: ``python -m benchmarks`` from the repository root.

Not part of the package: nothing in ``tkconsole`` imports from here.
"""
