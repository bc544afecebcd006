"""Standard answers (知识库) that admins maintain and operators read out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.extensions import db
from hotline.core.timeutil import utcnow


class KnowledgeArticle(db.Model):
    """One standard answer: a title, the text to give the resident, and search keywords."""

    __tablename__ = "knowledge_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text)
    # Space-separated words residents use for the matter (搜索用关键词).
    keywords: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
