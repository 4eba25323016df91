"""Responsibility and supervision (党建工作责任制与督促检查): responsibility lists, tasks cascaded
level by level, inspections and rectification, joint meetings (the app root), and duty reports,
performance assessment, five-good ratings, three-level joint creation, demonstration points and
model cases (`assessment/`).
"""
