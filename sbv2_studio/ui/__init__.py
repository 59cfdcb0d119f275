"""The studio window (Qt). It talks to the core only through the worker (worker.py)."""
