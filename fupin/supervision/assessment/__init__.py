"""Assessment (考核评议): duty reports and their votes, performance-assessment templates and
scores, five-good ratings, three-level joint creation, demonstration points, model cases.
"""
