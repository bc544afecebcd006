"""Chinese names (translatable) of the codes the statistics pages show."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FUNCTION_LABELS = {
    "general": _l("综合"),
    "urban_management": _l("城市管理"),
    "housing": _l("住房建设"),
    "water": _l("水务"),
    "utilities": _l("水电气讯"),
    "transport": _l("交通运输"),
    "traffic_police": _l("公安交管"),
    "public_security": _l("公安"),
    "environment": _l("生态环境"),
    "market_regulation": _l("市场监管"),
    "human_resources": _l("人力社保"),
    "health": _l("卫生健康"),
    "education": _l("教育"),
    "civil_affairs": _l("民政"),
    "natural_resources": _l("规划和自然资源"),
    "agriculture": _l("农业农村"),
    "emergency_management": _l("应急管理"),
}
LEVEL_LABELS = {
    "city": _l("市级"),
    "district": _l("区（市）县级"),
    "township": _l("街道（乡镇）级"),
    "community": _l("村（社区）级"),
}
METRIC_LABELS = {
    "response_rate": _l("响应率"),
    "resolution_rate": _l("解决率"),
    "satisfaction_rate": _l("满意率"),
}
STEP_LABELS = {"sign": _l("签收"), "resolve": _l("办结")}
TYPE_LABELS = {
    "consultation": _l("咨询"),
    "help": _l("求助"),
    "suggestion": _l("建议"),
    "complaint": _l("投诉"),
    "report": _l("举报"),
    "praise": _l("表扬"),
}


def percent(value: float | None) -> str:
    """Format a rate as a percentage with one decimal, or a dash when there is none."""
    return "—" if value is None else f"{value * 100:.1f}%"
