"""Framework-free cores of IVCS: plain data in, plain data out; no Django import anywhere below here.

The engines (hs, nlq, matching, origin, chains, search) arrive with their issues. import-linter
(`lint-imports`) and tests/test_architecture.py keep Django and the apps out of this package.
"""
