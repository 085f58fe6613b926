"""Purchasing standards and certifications: the gap analysis and HS-range matching, as plain data.

Modules (no Django; plain data in, plain data out):

* hsranges.py - HS prefixes and ranges ("0901", "1801-1806", "61-63") and whether a code falls in them.
* gap.py - `analyse(...)`: which requirements of a target an SME meets with the certificates it
  holds (directly, through an equivalence or inclusion between schemes, or through a recognition
  such as GFSI benchmarking), which it lacks, which of its certificates expire before a date, and an
  ordered plan of schemes to obtain that covers the missing requirements with few certifications.
"""
