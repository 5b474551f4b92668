"""Screening before review: eligibility (资格审查) and recommendation by the superior Party body (推荐单位).

The workflow owns the moves (submitted → eligible → recommended → first review) and their rules
(submissions.workflow.screening); this area writes the rows those rules read (services), reads
the bodies' progress and their entries (selectors), and serves the bodies' workspace (views).
"""
