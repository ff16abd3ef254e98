"""Error codes of the indicators capability (figures, drill-down, reports, rural population, area exit)."""

from __future__ import annotations

from fupin.core.errors import Conflict, Forbidden, Invalid, NotFound, define

UNKNOWN_INDICATOR = define("indicators.unknown_indicator", Invalid, "没有指标“{indicator}”", "No indicator {indicator}")
INDICATOR_NOT_FOUND = define("indicators.indicator_not_found", NotFound, "未找到指标:{indicator}", "Indicator {indicator} not found")
NO_RECORDS = define("indicators.no_records", Invalid, "指标“{name}”没有可列出的明细记录", "The indicator {name} has no records to list")
GROUP_LEVEL = define("indicators.group_level", Invalid, "指标汇总到村一级,不能选择组/屯", "Figures roll up to the village; a group cannot be chosen")
LEVEL_ABOVE_AREA = define("indicators.level_above_area", Invalid, "汇总层级“{level}”不能高于所选区域", "The level {level} lies above the chosen area")
AREA_REQUIRED = define("indicators.area_required", Invalid, "请给出区划代码 area", "Give an area code")
YEAR_RANGE = define("indicators.year_range", Invalid, "年度应在2000至2100之间", "The year must lie in 2000–2100")
REPORT_FORMAT = define("indicators.report_format", Invalid, "报表格式只能是 md、docx 或 xlsx", "The report format is md, docx or xlsx")

# ---- rural population
POPULATION_LEVEL = define("indicators.population_level", Invalid, "农村户籍人口录入到村一级,不能录入组/屯", "Rural population is entered down to the village, not a group")
POPULATION_NUMBER = define("indicators.population_number", Invalid, "人口数“{value}”应为不小于0的整数", "The population {value} must be a whole number ≥ 0")
YEAR_NUMBER = define("indicators.year_number", Invalid, "年度“{value}”应为2000至2100之间的整数", "The year {value} must be a whole number in 2000–2100")

# ---- area exit (贫困村退出 / 贫困县摘帽)
EXIT_LEVEL = define("indicators.exit_level", Invalid, "只有村和县可以退出评估(乡镇可查看所辖各村)", "Only villages and counties exit (a township lists its villages)")
SURVEY_COUNTY_ONLY = define("indicators.survey_county_only", Invalid, "抽样调查记录针对县", "The sample survey is recorded for a county")
SURVEY_PART_EXCEEDS = define("indicators.survey_part_exceeds", Invalid, "部分不能大于样本数", "A part cannot exceed its sample")
SURVEYOR_REQUIRED = define("indicators.surveyor_required", Invalid, "请填写调查单位", "Name the surveyor")
DATE_IN_FUTURE = define("indicators.date_in_future", Invalid, "日期{day}晚于今天,不能登记未发生的事", "The date {day} is after today")
DATE_BEFORE_PREVIOUS = define("indicators.date_before_previous_step", Invalid, "日期不能早于上一步“{step}”的日期{day}", "The date cannot be before the previous step ({step}, {day})")
UNKNOWN_STEP = define("indicators.unknown_step", Invalid, "没有步骤“{step}”", "No step {step}")
STEP_OUT_OF_ORDER = define("indicators.step_out_of_order", Conflict, "应先完成“{expected}”,再进行“{step}”{reasons}", "Do {expected} before {step}{reasons}")
STEP_RECORDED = define("indicators.step_recorded", Conflict, "“{step}”已经登记过,不能重复登记", "{step} has already been recorded")
EXIT_COMPLETED = define("indicators.exit_completed", Conflict, "退出程序已全部完成", "The exit procedure is complete")
EXIT_NOT_PASSED = define("indicators.exit_not_passed", Conflict, "评估未通过,不能审批退出:{reasons}", "The evaluation fails; the exit cannot be approved: {reasons}")
SURVEY_EXISTS = define("indicators.survey_exists", Conflict, "{year}年该县已有抽样调查记录", "The county already has a survey for {year}")
COUNTY_EXIT_DECIDED_ABOVE = define("indicators.county_exit_decided_above", Forbidden, "贫困县退出的核查、公示和审批由县以上(市、省)组织,本县不能为自己登记", "A county's exit is checked, publicised and approved above the county, not by the county itself")

# ---- the command line
USAGE = define("indicators.usage", Invalid, "请给出 {what}", "Give {what}")
DATE_FORMAT = define("indicators.date_format", Invalid, "日期“{value}”格式应为 YYYY-MM-DD", "Date {value}: use YYYY-MM-DD")
