"""`rules train`: a model of this centre's own dispatches proposes where no rule has evidence."""

from __future__ import annotations

import time

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.routing.fallback import model_path
from hotline.routing.models import RoutingFeedback
from hotline.tickets.models import Ticket

HEALTH = [
    "社区诊所乱收费", "医院看病排队太久", "卫生院医生态度差", "诊所无证行医",
    "医院收费不透明", "社区医院没有疫苗", "打疫苗要排很久", "医生开药太贵",
    "卫生院晚上没人值班", "私人诊所卫生条件差", "医院挂号难", "诊所输液出了问题",
]  # fmt: skip
SCHOOL = [
    "学校乱收费", "孩子上学太远", "学校食堂饭菜不好", "老师体罚学生",
    "幼儿园收费太高", "学校放学太早", "课外培训机构跑路", "学校作业太多",
    "小学入学要求太多", "幼儿园老师态度差", "中学晚自习太晚", "学校校车不安全",
]  # fmt: skip


def _routing(lclient, operator, number):
    return lclient.get(f"/api/v1/tickets/{number}", headers=operator).json["routing"]


def _fallback_steps(routing):
    return [s for s in routing["trace"] if s.get("step") == "fallback"]


def test_fallback_is_off_until_trained_then_proposes_where_no_rule_has_evidence(
    lapp, lclient, file, act, operator, cli, signin
):
    path = model_path(lapp.config["HOTLINE"].instance_path)
    holder = lapp.extensions["hotline_router"].fallback
    holder.interval = 0  # look at the model file on every decision
    untrained = file("孩子的学校老师布置作业太多")
    routing = _routing(lclient, operator, untrained)
    assert routing["rule"] is None and not _fallback_steps(routing)
    assert cli("rules", "train").exit_code == 1  # nothing to learn from yet

    for text in HEALTH:
        act(file(text), operator, action="dispatch", department="510107-health", reason="卫健")
    for text in SCHOOL:
        act(file(text), operator, action="dispatch", department="510107-education", reason="教育")
    try:
        result = cli("rules", "train", "--min-probability", "0.5")
        assert result.exit_code == 0, result.output
        assert "trained on 24 tickets, 2 labels" in result.output and path.exists()
        assert "holdout of 5" in result.output

        number = file("孩子的学校老师布置作业太多")
        routing = _routing(lclient, operator, number)
        (step,) = _fallback_steps(routing)
        assert step["outcome"] == "proposed" and step["label"] == "education@district"
        assert routing["rule"] is None and routing["fallback"] is True
        assert routing["department"]["code"] == "510107-education"
        with lapp.app_context():
            row = db.session.scalar(
                select(RoutingFeedback).join(Ticket).where(Ticket.number == number)
            )
            assert row.fallback is True and row.function == "education"
            db.session.remove()
        # Operators accept it with one action, as any proposal.
        done = act(number, operator, action="dispatch")
        assert done["department"]["code"] == "510107-education"

        # A rule with evidence is never second-guessed by the model.
        ruled = _routing(lclient, operator, file("学校附近停水了"))
        assert ruled["rule"] == "t.water" and not _fallback_steps(ruled)
        # The ticket page explains the fallback in words.
        page = signin("operator").get(f"/tickets/{number}").get_data(as_text=True)
        assert "统计模型建议" in page
    finally:
        removed = cli("rules", "train", "--remove")
    assert removed.exit_code == 0 and not path.exists()
    time.sleep(0.01)
    after = _routing(lclient, operator, file("孩子的学校老师布置作业太多"))
    assert not _fallback_steps(after) and after["rule"] is None


def test_an_unsure_model_keeps_quiet(lapp, lclient, file, act, operator, cli):
    lapp.extensions["hotline_router"].fallback.interval = 0
    for text in HEALTH:
        act(file(text), operator, action="dispatch", department="510107-health", reason="卫健")
    for text in SCHOOL:
        act(file(text), operator, action="dispatch", department="510107-education", reason="教育")
    try:
        assert cli("rules", "train", "--min-probability", "0.99").exit_code == 0
        routing = _routing(lclient, operator, file("市民来电咨询办事流程"))
        (step,) = _fallback_steps(routing)
        assert step["outcome"].startswith("below 0.99")
        assert routing["department"]["code"] == "5101-general" and "fallback" not in routing
    finally:
        cli("rules", "train", "--remove")


def test_the_fast_scorer_agrees_with_sklearn():
    from hotline.routing.fallback import fit

    two = [(t, "health@district") for t in HEALTH] + [(t, "education@district") for t in SCHOOL]
    three = two + [(t + "，停车位不够", "traffic_police@district") for t in SCHOOL[:8]]
    for examples in (two, three):
        model = fit(examples, holdout=0)
        for text in ("孩子的学校老师布置作业太多", "诊所", "完全无关的话", ""):
            expected = model.pipeline.predict_proba([text])[0]
            label, probability = model.predict(text)
            best = int(expected.argmax())
            assert label == model.pipeline.classes_[best]
            assert abs(probability - expected[best]) < 1e-5
