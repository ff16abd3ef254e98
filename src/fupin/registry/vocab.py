"""Coded vocabularies of the registry: stored code → Chinese label (the national 建档立卡 lists)."""

from __future__ import annotations

POVERTY_ATTRIBUTES = {
    "general": "一般贫困户",
    "dibao": "低保贫困户",
    "tekun": "特困供养贫困户",
}

CAUSES = {
    "illness": "因病",
    "disability": "因残",
    "schooling": "因学",
    "disaster": "因灾",
    "marriage": "因婚",
    "no_land": "缺土地",
    "no_water": "缺水",
    "no_skill": "缺技术",
    "no_labour": "缺劳力",
    "no_funds": "缺资金",
    "poor_transport": "交通条件落后",
    "low_motivation": "自身发展动力不足",
    "other": "其他",
}

HOUSEHOLD_STATUSES = {
    "identified": "已识别",
    "helped": "帮扶中",
    "exit_proposed": "拟退出",
    "exited": "已脱贫",
    "monitored": "监测中",
    "returned": "返贫",
}
ACTIVE_POOR_STATUSES = ("identified", "helped", "exit_proposed", "returned")

SEXES = {"M": "男", "F": "女"}

# 与户主关系: the national 建档立卡 list (扶贫开发建档立卡指标), in its order.
RELATIONS = {
    "head": "户主",
    "spouse": "配偶",
    "son": "之子",
    "daughter": "之女",
    "daughter_in_law": "之儿媳",
    "son_in_law": "之女婿",
    "grandson": "之孙子",
    "granddaughter": "之孙女",
    "maternal_grandson": "之外孙子",
    "maternal_granddaughter": "之外孙女",
    "great_grandson": "之曾孙子",
    "great_granddaughter": "之曾孙女",
    "father": "之父",
    "mother": "之母",
    "father_in_law": "之岳父",
    "mother_in_law": "之岳母",
    "husbands_father": "之公公",
    "husbands_mother": "之婆婆",
    "grandfather": "之祖父",
    "grandmother": "之祖母",
    "maternal_grandfather": "之外祖父",
    "maternal_grandmother": "之外祖母",
    "sibling": "之兄弟姐妹",
    "other": "其他",
}

EDUCATION = {
    "none": "文盲或半文盲",
    "primary": "小学",
    "junior": "初中",
    "senior": "高中",
    "vocational": "中专/职高",
    "college": "大专及以上",
    "preschool": "学龄前儿童",
}

SCHOOLING = {
    "not_in_school": "非在校生",
    "preschool": "学前教育",
    "primary": "小学",
    "junior": "七年级至九年级",
    "senior": "高中",
    "vocational": "中职",
    "college": "高职/大专/本科",
    "home_schooling": "送教上门",  # counts as in school (rules.OUT_OF_SCHOOL)
    "dropout": "辍学",
}

HEALTH = {
    "healthy": "健康",
    "chronic": "长期慢性病",
    "serious": "大病",
    "disabled": "残疾",
}

LABOUR_CAPACITY = {
    "normal": "普通劳动力",
    "skilled": "技能劳动力",
    "weak": "弱劳动力或半劳动力",
    "lost": "丧失劳动力",
    "none": "无劳动力",
}

# 务工地: the national list (乡镇内 / 乡镇外县内 / 县外省内 / 省外); "县内" as typed before still reads as in_county.
WORK_PLACES = {
    "none": "未务工",
    "in_township": "乡镇内",
    "in_county": "乡镇外县内",
    "in_province": "县外省内",
    "out_province": "省外",
}

# ---------------------------------------------------------------- the national forms' household and member fields
# (贫困户登记表 and the 防返贫 monitoring forms); the columns themselves are listed in fields.py.

IDENTIFICATION_STANDARDS = {"national": "国家标准", "provincial": "省定标准", "municipal": "市定标准"}

ACCESS_ROAD_TYPES = {"dirt": "泥土路", "gravel": "砂石路", "cement": "水泥路", "asphalt": "沥青路", "other": "其他"}

# 危房等级 by the rural-housing safety appraisal (农村住房安全性鉴定): C and D are dangerous.
DILAPIDATION_GRADES = {"A": "A级", "B": "B级", "C": "C级(局部危房)", "D": "D级(整体危房)"}

FUELS = {"firewood": "柴草", "dung": "干畜粪", "coal": "煤炭", "clean": "清洁能源", "other": "其他"}

POLITICAL_STATUSES = {
    "party_member": "中共党员",
    "probationary_member": "中共预备党员",
    "league_member": "共青团员",
    "democratic_party": "民主党派",
    "masses": "群众",
}

DISABILITY_CATEGORIES = {
    "visual": "视力残疾",
    "hearing": "听力残疾",
    "speech": "言语残疾",
    "physical": "肢体残疾",
    "intellectual": "智力残疾",
    "mental": "精神残疾",
    "multiple": "多重残疾",
}

ETHNICITIES = (
    "汉族", "彝族", "回族", "苗族", "壮族", "布依族", "哈尼族", "白族", "傣族", "傈僳族", "藏族", "纳西族",
    "瑶族", "土家族", "蒙古族", "满族", "维吾尔族", "侗族", "其他",
)


def label(vocabulary: dict[str, str], code: str | None) -> str:
    return "" if code is None else vocabulary.get(code, code)


_REVERSE: dict[int, dict[str, str]] = {}
# Labels as people typed them before a list took the national wording (still read, never written).
_FORMER_LABELS: dict[int, dict[str, str]] = {
    id(WORK_PLACES): {"县内": "in_county", "乡(镇)内": "in_township", "乡(镇)外县内": "in_county"},
    id(RELATIONS): {"兄弟姐妹": "sibling", "之兄弟": "sibling", "之姐妹": "sibling"},
    id(DILAPIDATION_GRADES): {"C级": "C", "D级": "D", "C级危房": "C", "D级危房": "D"},
}


# Why a member joins or leaves a household (kept with the date: figures of a year count that year's members).
JOIN_REASONS = {"birth": "出生", "marriage": "婚入", "moved_in": "迁入", "other": "其他"}
LEAVE_REASONS = {"death": "死亡", "marriage": "婚出", "moved_out": "迁出", "other": "其他"}


def code_of(vocabulary: dict[str, str], text: str) -> str | None:
    """The code for a label or a code as typed in a spreadsheet; None when unknown."""
    text = (text or "").strip()
    if text in vocabulary:
        return text
    reverse = _REVERSE.get(id(vocabulary))
    if reverse is None:
        reverse = _REVERSE[id(vocabulary)] = {**_FORMER_LABELS.get(id(vocabulary), {}),
                                              **{name: code for code, name in vocabulary.items()}}
    return reverse.get(text)

MEASURE_TYPES = {
    "industry": "产业帮扶",
    "employment": "就业帮扶",
    "relocation": "易地扶贫搬迁",
    "education": "教育帮扶",
    "health": "健康帮扶",
    "housing": "危房改造",
    "minimum_allowance": "低保兜底",
    "ecological_post": "生态护林员",
    "microcredit": "扶贫小额信贷",
    "public_welfare_post": "公益性岗位",
    "training": "技能培训",
    "other": "其他",
}
