"""National values → fupin codes, per target field, and fupin codes → the national wording for the export.

Each vocabulary is a table of exact national wordings, plus (for the grade-by-grade schooling list) prefixes.
A value found in neither is a row error quoting it with the national options. fupin's own labels and codes are
accepted too, so a sheet edited by hand with fupin's wording still reads.
"""

from __future__ import annotations

from fupin.registry import vocab as fupin_vocab

RELATIONS = {
    "户主": "head", "本人": "head", "配偶": "spouse", "之妻": "spouse", "之夫": "spouse",
    "之子": "son", "之女": "daughter", "之儿媳": "daughter_in_law", "之女婿": "son_in_law",
    "之孙子": "grandson", "之孙女": "granddaughter", "之外孙子": "grandson", "之外孙女": "granddaughter",
    "之父": "father", "之母": "mother", "之岳父": "father", "之岳母": "mother", "之公公": "father", "之婆婆": "mother",
    "之祖父": "grandfather", "之祖母": "grandmother", "之外祖父": "grandfather", "之外祖母": "grandmother",
    "之兄弟姐妹": "sibling", "兄弟姐妹": "sibling", "其他": "other",
}
EDUCATION = {
    "文盲或半文盲": "none", "文盲": "none", "半文盲": "none", "小学": "primary", "初中": "junior", "高中": "senior",
    "中专": "vocational", "中专(中技)": "vocational", "中专/职高": "vocational", "职高": "vocational",
    "大专及以上": "college", "大专": "college", "本科及以上": "college", "学龄前儿童": "preschool",
}
SCHOOLING = {"非在校生": "not_in_school", "学前教育": "preschool", "辍学": "dropout", "失学辍学": "dropout"}
SCHOOLING_PREFIXES = (("学前", "preschool"), ("小学", "primary"), ("七年级", "junior"), ("八年级", "junior"),
                      ("九年级", "junior"), ("初中", "junior"), ("高中", "senior"), ("普通高中", "senior"),
                      ("中职", "vocational"), ("中专", "vocational"), ("高职", "college"), ("大专", "college"),
                      ("本科", "college"), ("硕士", "college"), ("博士", "college"))
HEALTH = {"健康": "healthy", "长期慢性病": "chronic", "患有大病": "serious", "大病": "serious", "残疾": "disabled"}
LABOUR = {"普通劳动力": "normal", "技能劳动力": "skilled", "弱劳动力或半劳动力": "weak", "弱劳动力": "weak",
          "半劳动力": "weak", "丧失劳动力": "lost", "无劳动力": "none"}
WORK_PLACES = {"乡镇内": "in_township", "乡镇外县内": "in_county", "县内": "in_county", "乡镇内务工": "in_township",
               "县外省内": "in_province", "省内县外": "in_province", "省外": "out_province", "境外": "out_province",
               "省外务工": "out_province", "县外省内务工": "in_province", "未务工": "none", "无": "none"}
DISABILITY_GRADES = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "1级": 1, "2级": 2, "3级": 3, "4级": 4,
                     "1": 1, "2": 2, "3": 3, "4": 4}
ALLOWANCE = {"否": False, "未享受": False, "不享受": False, "无": False, "是": True, "享受": True, "享受低保": True,
             "农村低保": True, "城市低保": True, "低保": True}
POVERTY_ATTRIBUTES = {"一般贫困户": "general", "一般农户": "general", "低保贫困户": "dibao", "低保户": "dibao",
                      "特困供养贫困户": "tekun", "特困供养户": "tekun", "五保贫困户": "tekun", "五保户": "tekun"}
CAUSES = {**{label: code for code, label in fupin_vocab.CAUSES.items()}, "缺劳动力": "no_labour"}
SEXES = {"男": "M", "女": "F"}
# The national form's fields of issue 17 (registry.vocab): the national wording first (what the export writes).
POLITICAL_STATUSES = {"中共党员": "party_member", "中国共产党党员": "party_member", "党员": "party_member",
                      "中共预备党员": "probationary_member", "中国共产党预备党员": "probationary_member",
                      "预备党员": "probationary_member", "共青团员": "league_member",
                      "中国共产主义青年团团员": "league_member", "团员": "league_member",
                      "民主党派": "democratic_party", "民主党派成员": "democratic_party", "群众": "masses",
                      "无党派人士": "masses"}
DISABILITY_CATEGORIES = {"视力残疾": "visual", "听力残疾": "hearing", "言语残疾": "speech", "肢体残疾": "physical",
                         "智力残疾": "intellectual", "精神残疾": "mental", "多重残疾": "multiple", "视力": "visual",
                         "听力": "hearing", "言语": "speech", "肢体": "physical", "智力": "intellectual",
                         "精神": "mental", "多重": "multiple"}
IDENTIFICATION_STANDARDS = {"国家标准": "national", "国定标准": "national", "省定标准": "provincial",
                            "省标准": "provincial", "市定标准": "municipal", "市标准": "municipal"}
ACCESS_ROAD_TYPES = {"泥土路": "dirt", "土路": "dirt", "砂石路": "gravel", "沙石路": "gravel", "水泥路": "cement",
                     "沥青路": "asphalt", "柏油路": "asphalt", "其他": "other"}
DILAPIDATION_GRADES = {"A级": "A", "B级": "B", "C级": "C", "D级": "D", "A": "A", "B": "B", "C": "C", "D": "D",
                       "C级危房": "C", "D级危房": "D"}
FUELS = {"柴草": "firewood", "干畜粪": "dung", "煤炭": "coal", "煤": "coal", "清洁能源": "clean",
         "电": "clean", "燃气": "clean", "沼气": "clean", "其他": "other"}

HOUSEHOLD_TYPES = {"脱贫户": "exited", "已脱贫户": "exited", "监测户": "monitored", "监测对象": "monitored",
                   "一般农户": "general", "贫困户": "poor", "未脱贫户": "poor"}
MONITOR_TYPES = {"脱贫不稳定户": "unstable", "边缘易致贫户": "marginal", "突发严重困难户": "sudden"}
# Risks as the monitoring capability codes them (monitoring.rules.RISK_TYPES), and the cause of poverty each
# stands for when the sheet carries no 主要致贫原因.
RISKS = {
    "因病": "illness", "因残": "disability", "因学": "schooling", "因灾": "disaster", "因意外事故": "accident",
    "因产业项目失败": "industry_failure", "因务工就业不稳": "unstable_job", "缺劳动力": "no_labour",
    "缺劳力": "no_labour", "住房出现安全问题": "housing", "住房安全": "housing", "饮水安全问题": "water",
    "饮水安全": "water", "其他": "other",
    "家庭成员中有义务教育阶段适龄儿童少年失学辍学": "schooling",
}
RISK_CAUSES = {"illness": "illness", "disability": "disability", "schooling": "schooling", "disaster": "disaster",
               "no_labour": "no_labour", "accident": "other", "industry_failure": "no_funds",
               "unstable_job": "no_skill", "housing": "other", "water": "no_water", "other": "other"}
POOR_STATUSES = {"已脱贫": "exited", "脱贫": "exited", "未脱贫": "identified", "返贫": "returned"}
YES_NO = {"是": True, "否": False, "已消除": True, "未消除": False}
ID_TYPES = {"居民身份证", "身份证", "中华人民共和国居民身份证", "第二代居民身份证"}

# target field -> vocabulary (national wording -> fupin code)
BY_TARGET: dict[str, dict[str, object]] = {
    "relation": RELATIONS, "education": EDUCATION, "schooling": SCHOOLING, "health": HEALTH,
    "labour_capacity": LABOUR, "work_place": WORK_PLACES, "disability_grade": DISABILITY_GRADES,
    "minimum_allowance": ALLOWANCE, "poverty_attribute": POVERTY_ATTRIBUTES, "main_cause": CAUSES, "sex": SEXES,
    "@household_type": HOUSEHOLD_TYPES, "@monitor_type": MONITOR_TYPES, "@poor_status": POOR_STATUSES,
    "@risk_cleared": YES_NO, "@working": YES_NO,
    "political_status": POLITICAL_STATUSES, "disability_category": DISABILITY_CATEGORIES,
    "identification_standard": IDENTIFICATION_STANDARDS, "access_road_type": ACCESS_ROAD_TYPES,
    "dilapidation_grade": DILAPIDATION_GRADES, "main_fuel": FUELS,
    **{f"@risk{i}": RISKS for i in range(1, 6)},
}
_FUPIN = {"relation": fupin_vocab.RELATIONS, "education": fupin_vocab.EDUCATION, "schooling": fupin_vocab.SCHOOLING,
          "health": fupin_vocab.HEALTH, "labour_capacity": fupin_vocab.LABOUR_CAPACITY,
          "work_place": fupin_vocab.WORK_PLACES, "poverty_attribute": fupin_vocab.POVERTY_ATTRIBUTES,
          "main_cause": fupin_vocab.CAUSES, "sex": fupin_vocab.SEXES,
          "political_status": fupin_vocab.POLITICAL_STATUSES, "disability_category": fupin_vocab.DISABILITY_CATEGORIES,
          "identification_standard": fupin_vocab.IDENTIFICATION_STANDARDS,
          "access_road_type": fupin_vocab.ACCESS_ROAD_TYPES, "dilapidation_grade": fupin_vocab.DILAPIDATION_GRADES,
          "main_fuel": fupin_vocab.FUELS}
_MISSING = object()


def translate(target: str, text: str) -> object:
    """The fupin value for a national wording; `MISSING` when the vocabulary does not know it."""
    table = BY_TARGET[target]
    text = "".join(text.split()).replace("(", "(").replace(")", ")")
    found = table.get(text, _MISSING)
    if found is not _MISSING:
        return found
    if target == "schooling":
        for prefix, code in SCHOOLING_PREFIXES:
            if text.startswith(prefix):
                return code
    fupin = _FUPIN.get(target)
    if fupin is not None:
        code = fupin_vocab.code_of(fupin, text)
        if code is not None:
            return code
    return _MISSING


MISSING = _MISSING


def options(target: str) -> str:
    """The national wordings of a vocabulary, for an error message."""
    return "、".join(dict.fromkeys(BY_TARGET[target]))[:200]


# fupin code -> the national wording the export writes (the first national wording of each code)
def _reverse(table: dict[str, object]) -> dict[object, str]:
    reverse: dict[object, str] = {}
    for label, code in table.items():
        reverse.setdefault(code, label)
    return reverse


EXPORT_WORDING: dict[str, dict[object, str]] = {target: _reverse(BY_TARGET[target]) for target in _FUPIN}
EXPORT_WORDING["schooling"] = {**{code: label for code, label in fupin_vocab.SCHOOLING.items()},
                               "not_in_school": "非在校生", "preschool": "学前教育", "dropout": "辍学"}
EXPORT_WORDING["minimum_allowance"] = {True: "享受低保", False: "否"}
EXPORT_WORDING["disability_grade"] = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
EXPORT_WORDING["main_cause"] = dict(fupin_vocab.CAUSES)
EXPORT_RISKS = _reverse(RISKS)
EXPORT_MONITOR_TYPES = _reverse(MONITOR_TYPES)
