"""Village democracy and openness (村级民主与公开): the councils and their members, the
villagers' committee election, meetings with quorum, decisions by the four deliberations and
two disclosures, one-matter-one-discussion projects (the app root), and disclosures, topic
requests, the tamper-evident disclosure log and the public village pages (`openness/`).
"""
