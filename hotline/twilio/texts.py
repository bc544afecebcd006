"""What the hotline says and writes to residents, zh-CN first, then English."""

from __future__ import annotations

from typing import Any

TYPE_KEYS = {
    "1": "consultation",
    "2": "help",
    "3": "suggestion",
    "4": "complaint",
    "5": "report",
    "6": "praise",
}

SAY = {
    "zh": {
        "emergency": "紧急情况请挂机拨打110、119、120、122。",
        "welcome": "您好，这里是{city}12345政务服务便民热线。",
        "menu": "新的诉求请按1，查询工单进度请按2，人工服务请按0。",
        "type_menu": "咨询请按1，求助请按2，建议请按3，投诉请按4，举报请按5，表扬请按6。",
        "ask_matter": "请在提示音后说出您反映的事情，说完请稍等。",
        "ask_place": "请说出事情发生的地点，例如区、街道、小区和门牌号。",
        "not_understood": "抱歉，没有听清。请在提示音后留言说明您的诉求，说完按井号键。",
        "ask_number": "请输入14位工单号，以井号键结束。",
        "bad_number": "工单号应为14位数字。",
        "not_found": "没有找到本机号码提交的该工单。",
        "lookup_needs_number": "查询工单需要使用提交工单的手机来电，或登录网站用工单号和手机号查询。",
        "status": "工单 {digits} 的当前状态是：{status}。",
        "ticket_number": "您的诉求已受理，工单号是 {digits}。",
        "sms_sent": "受理短信将发送到您的手机，谢谢来电，再见。",
        "connecting": "正在为您转接人工服务，请稍候。",
        "emergency_transfer_offer": "紧急情况请按星号键，为您转接110。",
        "transfer_110": "正在为您转接110，请不要挂机。",
        "leave_message": "现在是非工作时间或坐席繁忙，请在提示音后留言，我们会尽快处理。",
        "no_input": "没有收到您的按键。",
        "bad_key": "按键无效。",
        "goodbye": "谢谢来电，再见。",
        "error": "系统繁忙，请稍后再拨。",
    },
    "en": {
        "english_offer": "For English, press 9.",
        "emergency": "In an emergency, hang up and dial 110, 119, 120 or 122.",
        "menu": "For a new request press 1, for the status of a ticket press 2, "
        "to speak to an operator press 0.",
        "type_menu": "Press 1 for a question, 2 for help, 3 for a suggestion, 4 for a complaint, "
        "5 to report a violation, 6 to praise.",
        "ask_matter": "After the tone, please describe the matter.",
        "ask_place": "Please say where it is: district, street, residential compound, number.",
        "not_understood": "Sorry, we did not understand. Please leave a message after the tone "
        "and press the pound key.",
        "ask_number": "Please key in the 14-digit ticket number, then the pound key.",
        "bad_number": "A ticket number has 14 digits.",
        "not_found": "We found no such ticket raised from this phone.",
        "lookup_needs_number": "To hear a ticket's status, call from the mobile phone that raised it, "
        "or look it up on the website with the ticket number and that phone number.",
        "status": "The status of ticket {digits} is: {status}.",
        "ticket_number": "Your request is registered. Your ticket number is {digits}.",
        "sms_sent": "A text message will confirm it. Thank you for calling, goodbye.",
        "connecting": "Connecting you to an operator, please hold.",
        "emergency_transfer_offer": "In an emergency, press the star key to be put through to 110.",
        "transfer_110": "Putting you through to 110. Please stay on the line.",
        "leave_message": "Our operators are not available. Please leave a message after the tone.",
        "no_input": "We did not receive a key.",
        "bad_key": "That key is not valid.",
        "goodbye": "Thank you for calling, goodbye.",
        "error": "The service is busy, please call again later.",
    },
}

STATUS_NAMES = {
    "zh": {
        "received": "已受理",
        "answered": "已直接答复",
        "dispatched": "已派单",
        "accepted": "已签收，正在办理",
        "returned": "已退单，重新派单中",
        "resolved": "已办结",
        "closed": "已归档",
        "merged": "已合并",
    },
    "en": {
        "received": "received",
        "answered": "answered",
        "dispatched": "dispatched to a department",
        "accepted": "being handled",
        "returned": "being re-assigned",
        "resolved": "resolved",
        "closed": "closed",
        "merged": "merged with another ticket",
    },
}

SMS = {
    "created": "【12345】您的诉求已受理，工单号 {number}。查询进度：{url} 。回复“查询{number}”可查进度。",
    "emergency": "【12345】紧急情况请立即拨打110、119、120、122！已为您记录工单 {number}。",
    "noted": "【12345】您的补充内容已记入工单 {number}。",
    "status": "【12345】工单 {number} 当前状态：{status}。",
    "not_found": "【12345】没有找到本机号码提交的该工单，请核对工单号。",
    "no_ticket": "【12345】本机号码暂无工单。直接发送诉求内容即可受理。",
    "rated": "【12345】感谢您对工单 {number} 的评价：{rating}。",
    "reopened": "【12345】感谢反馈，工单 {number} 已重新交办。",
    "nothing_to_rate": "【12345】没有待评价的工单。直接发送诉求内容即可受理新的诉求。",
    "stopped": "【12345】您已退订12345短信通知。如需恢复，请拨打12345。",
    "empty": "【12345】请直接发送诉求内容；查询进度请回复“查询+工单号”；退订回复TD。",
    "bad_phone": "【12345】短信受理仅支持中国大陆手机号，请拨打12345。",
}

RATING_NAMES = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}


def say_text(lang: str, key: str, **fmt: Any) -> str:
    """Return the sentence ``key`` in ``lang`` (falling back to Chinese)."""
    text = SAY.get(lang, SAY["zh"]).get(key) or SAY["zh"][key]
    return text.format(**fmt) if fmt else text


def sms_text(key: str, **fmt: Any) -> str:
    """Return the SMS text ``key``."""
    return SMS[key].format(**fmt)
