"""Assessment (考核): the monthly score of each department and area, and its exclusions."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Load the assessment scheme once, so a broken file stops the start with its message."""
    from hotline.assessment.scheme import load_scheme

    app.extensions["hotline_assessment"] = load_scheme(app.config["HOTLINE"].assessment_file)
