"""Intake: the public form, tracking (进度查询) and the campaign mailbox (邮箱来稿)."""
