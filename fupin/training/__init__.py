"""Training and remote education (培训与农村现代远程教育): providers, yearly plans, classes
and attendance, certificates, study placements, transfer outcomes, remote-education stations
and their learning sessions, professional associations.
"""
