"""Matching engine: SME profiles x buyer opportunities (filters, scores, reasons, gaps), vectorised.

Plain data in (data.ProfileRow, data.OpportunityRow, data.Feedback), plain data out (data.Match).
The index is index.MatchIndex; the score is documented in scoring; the compact description vectors
in projection; reference holds the per-pair Python scorer used as a test oracle and benchmark baseline.
"""
