# Owner views live here (registry issue #3); the public catalog is in catalog.py.
