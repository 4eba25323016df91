"""Openness (公开): disclosures and their versions, disclosure schedules, topic requests
(点题公开), the append-only Merkle log of published versions, the public village pages.
"""
