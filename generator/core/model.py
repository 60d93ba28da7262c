"""The data format, defined once.

These pydantic models are the single description of what a maintainer may write in
`data/`. The validator checks YAML against them, and `schema/*.schema.json` (for editor
autocompletion) is generated from them, so the two can never disagree.

Conventions:
- Official text (pledges, explanations, progress texts, lead units) is verbatim.
- Fields marked "ours" in their description are the project's own words.
- Text is plain text, never HTML: the generator escapes everything.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

# --- building blocks -----------------------------------------------------------------

ID_PATTERN = r"^[0-9]+(-[0-9]+)*$"
SLUG_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
REF_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=20000)]
ShortText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=500)]
ItemId = Annotated[
    str,
    StringConstraints(strict=True, pattern=ID_PATTERN),
    Field(description="The source's own number: `6`, or `6-3` for the third sub-item of 6. Permanent: it is the URL."),
]
Slug = Annotated[
    str,
    StringConstraints(strict=True, pattern=SLUG_PATTERN, max_length=60),
    Field(description="Lowercase pinyin without tones, words joined by `-`: `qingdao`, `laojiu-xiaoqu`."),
]
RefId = Annotated[
    str,
    StringConstraints(strict=True, pattern=REF_ID_PATTERN, max_length=60),
    Field(description="A short lowercase id used to refer to this entry from elsewhere in the file: `h1`, `2024-q2`."),
]
Url = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^https?://[^\s<>\"']+$", max_length=2000),
    Field(description="An http:// or https:// address."),
]
ItemRef = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9-]*/[0-9]{4}/[0-9]+(-[0-9]+)*$"),
    Field(description="Another item, as `<city>/<year>/<id>`: `qingdao/2024/1-1`."),
]


# Dates outside these years are typos (9999-12-31 also breaks date arithmetic).
FIRST_YEAR, LAST_YEAR = 1949, 2100


def _iso_date(value):
    """Accept only YYYY-MM-DD text: pydantic would otherwise read 20240131 as a timestamp."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        date = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            date = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
    else:
        raise ValueError("expected a date written YYYY-MM-DD, e.g. 2024-01-31")
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(f"{date.isoformat()} is not between {FIRST_YEAR} and {LAST_YEAR}; check the year")
    return date


Date = Annotated[dt.date, BeforeValidator(_iso_date)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class Strict(BaseModel):
    """Base for every model: unknown fields are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Status(str, Enum):
    """Our normalised scale; each city's own wording is kept beside it."""

    done = "done"
    ahead = "ahead"
    on_track = "on_track"
    behind = "behind"
    not_started = "not_started"
    adjusted = "adjusted"
    cancelled = "cancelled"
    unknown = "unknown"


class Comparator(str, Enum):
    at_least = "at_least"  # 以上 / 不少于 / 超过
    at_most = "at_most"  # 以内 / 不超过 / 以下
    exactly = "exactly"  # a plain number
    about = "about"  # 约 / 左右
    range = "range"  # 2—3个


class CityLevel(str, Enum):
    municipality = "municipality"  # 直辖市
    sub_provincial = "sub_provincial"  # 副省级市
    prefecture = "prefecture"  # 地级市
    county_level = "county_level"  # 县级市
    county = "county"  # 县
    district = "district"  # 区


class Script(str, Enum):
    simplified = "simplified"
    traditional_converted = "traditional_converted"


# --- city.yml ------------------------------------------------------------------------


class City(Strict):
    """`data/<city>/city.yml`: facts about one city."""

    slug: Slug
    name: ShortText = Field(description="Official name: 青岛市.")
    short_name: ShortText = Field(description="Name without 市/县: 青岛.")
    province: ShortText = Field(description="Province: 山东省.")
    level: CityLevel
    parent: Optional[ShortText] = Field(None, description="For county-level cities, the prefecture-level city above it: 烟台市.")
    parent_slug: Optional[Slug] = Field(None, description="Slug of the parent city, when the site has one.")
    website: Optional[Url] = None
    note: Optional[Text] = Field(None, description="Ours: anything a reader should know about this city's lists.")
    redirect_from: list[Slug] = Field(default_factory=list, description="Former slugs that must keep working.")


# --- data/topics.yml -----------------------------------------------------------------


class Topic(Strict):
    id: Slug
    name: ShortText = Field(description="Ours: the topic in Chinese: 托育.")
    description: Optional[Text] = Field(None, description="Ours: one sentence on what the topic covers.")
    keywords: list[ShortText] = Field(default_factory=list, description="Words that usually mark an item of this topic: `draft` suggests topics by them, search suggests the topic when nothing is found.")


class TopicsFile(Strict):
    """`data/topics.yml`: the controlled topic vocabulary shared by all cities."""

    topics: list[Topic]


# --- data/synonyms.yml ---------------------------------------------------------------


class Synonym(Strict):
    words: list[ShortText] = Field(min_length=1, description="What readers type: 吃饭, 看病.")
    means: list[ShortText] = Field(min_length=1, description="The words the lists use for it: 助餐, 食堂. A search for a word also finds these.")


class SynonymsFile(Strict):
    """`data/synonyms.yml` (optional): everyday words that site search widens to the official ones."""

    synonyms: list[Synonym]


# --- data/<city>/<year>.yml ----------------------------------------------------------


class Source(Strict):
    """A document we took text from."""

    id: RefId
    title: ShortText
    publisher: ShortText
    date: Date = Field(description="Publication date, YYYY-MM-DD.")
    url: Optional[Url] = None
    document_number: Optional[ShortText] = Field(None, description="文号, e.g. 宜府办发〔2024〕21号.")
    obtained: ShortText = Field(description="Ours: how our copy was obtained (web capture, PDF, repost …).")
    retrieved: Optional[Date] = Field(None, description="Ours: when our copy was taken (leave out when nobody recorded it).")
    archive: Optional[ShortText] = Field(None, pattern=r"^sources/[A-Za-z0-9_./-]+$", description="Our archived copy, a path under `sources/` in the repository.")
    script: Script = Field(Script.simplified, description="`traditional_converted` when the source was in traditional characters and converted with OpenCC t2s.")
    note: Optional[Text] = None


class Period(Strict):
    start: Date
    end: Date


class Report(Strict):
    """A progress report (half-year, quarterly, year-end …)."""

    id: RefId
    title: ShortText
    kind: Literal["monthly", "quarterly", "half_year", "year_end", "final", "other"]
    as_of: Date = Field(description="The date the figures refer to (截至…).")
    published: Date
    source: RefId = Field(description="Id of an entry in `sources`.")
    summary: Optional[Text] = Field(None, description="The report's own overall summary, verbatim.")
    counts: dict[str, StrictInt] = Field(default_factory=dict, description="Counts the report states, by its own wording: {已完成: 6}.")
    note: Optional[Text] = Field(None, description="Ours: e.g. where the report's counts disagree with its own table.")


class Section(Strict):
    """A grouping the source uses: 一、… (一)… categories."""

    id: RefId
    label: ShortText = Field(description="The source's own numbering: 一、 or (三十三).")
    title: Text = Field(description="Verbatim heading.")
    parent: Optional[RefId] = Field(None, description="Id of the enclosing section, for nested groupings.")


class Target(Strict):
    """A quantity (or a qualitative goal) the pledge commits to."""

    text: Text = Field(description="The original wording of this target: 新增托位6000个以上.")
    metric: ShortText = Field(description="What is counted: 新增托位. Progress measures refer to a target by this name.")
    qualitative: StrictBool = Field(False, description="true when the target has no number (推动地铁6号线一期开通运营).")
    value: Optional[Number] = Field(None, ge=0, description="In base units: 2万 → 20000, 1.65万 → 16500; one of the figures `text` states.")
    value_max: Optional[Number] = Field(None, ge=0, description="Upper end when the comparator is `range`.")
    unit: Optional[ShortText] = Field(None, description="个, 人, 所, 平方米, 公里, % …")
    comparator: Optional[Comparator] = None
    deadline: Optional[Date] = None
    value_differs: Optional[Text] = Field(None, description="Ours: why `value` is not a figure `text` states, when it must not be (the check then accepts it).")


class Measure(Strict):
    """One reported figure in a progress entry."""

    metric: ShortText = Field(description="The `metric` of one of the item's targets, or a new metric the report states.")
    value: Optional[Number] = Field(None, ge=0, description="Reported value in base units; one of the figures `text` states.")
    unit: Optional[ShortText] = None
    comparator: Optional[Comparator] = Field(None, description="When the report qualifies the figure: 约 → about, 余/以上 → at_least.")
    percent: Optional[Number] = Field(None, ge=0, le=1000, description="Percent of the annual/whole target, as reported.")
    text: Optional[ShortText] = Field(None, description="The wording of this figure, verbatim.")
    stage: StrictBool = Field(
        False, description="Ours: true when the percent is the progress of one stage of the work (主体结构施工完成90%), never the item's completion."
    )
    value_differs: Optional[Text] = Field(None, description="Ours: why `value` is not a figure `text` states, when it must not be (the check then accepts it).")


class Money(Strict):
    """An amount of investment, as the source states it: 计划投资 of an item, 完成投资 of a
    progress entry. Always in 元, so that amounts add up across items."""

    text: Text = Field(description="The wording, verbatim: 年内计划投资1500万元.")
    value: Number = Field(ge=0, description="In 元: 1500万元 → 15000000, 1.2亿元 → 120000000; one of the figures `text` states.")
    value_differs: Optional[Text] = Field(None, description="Ours: why `value` is not a figure `text` states, when it must not be (the check then accepts it).")


class Votes(Strict):
    """A 人大代表票决 result for one project, as the vote's record states it."""

    in_favour: StrictInt = Field(ge=0, description="赞成票.")
    against: Optional[StrictInt] = Field(None, ge=0, description="反对票.")
    abstaining: Optional[StrictInt] = Field(None, ge=0, description="弃权票.")


class Candidate(Strict):
    """A candidate project put to the vote that was not chosen (未入选的候选项目)."""

    text: Text = Field(description="The candidate as the vote's record names it, verbatim.")
    votes: Optional[Votes] = None


class Vote(Strict):
    """人大代表票决: how the list's items were chosen (票决制)."""

    body: ShortText = Field(description="Who voted, as the source says: 宜昌市第六届人民代表大会第四次会议.")
    date: Date = Field(description="The day of the vote.")
    source: RefId = Field(description="Id of the entry in `sources` that records the vote.")
    voters: Optional[StrictInt] = Field(None, ge=1, description="How many took part in the vote (参加表决的代表), when stated.")
    candidates: Optional[StrictInt] = Field(None, ge=1, description="How many candidate projects were put to the vote, when stated (15选10 → 15).")
    not_chosen: list[Candidate] = Field(default_factory=list, description="The candidates that lost the vote.")
    note: Optional[Text] = Field(None, description="Ours.")


class Assessment(Strict):
    """满意度测评: how the list was judged at year end, and by whom."""

    by: ShortText = Field(description="Who judged, as the source says: 市人大代表, 第三方机构抽样调查的市民.")
    date: Date = Field(description="When the assessment was made (or published, when only that is known).")
    source: RefId = Field(description="Id of the entry in `sources` that publishes the results.")
    scale: Literal["count", "percent"] = Field(description="`count`: the results are numbers of people (票/人); `percent`: shares in %.")
    respondents: Optional[StrictInt] = Field(None, ge=1, description="How many took part, when stated.")
    note: Optional[Text] = Field(None, description="Ours.")


class Satisfaction(Strict):
    """One item's 满意度测评 result, in the list's `satisfaction.scale`."""

    satisfied: Optional[Number] = Field(None, ge=0, description="满意.")
    basically_satisfied: Optional[Number] = Field(None, ge=0, description="基本满意.")
    dissatisfied: Optional[Number] = Field(None, ge=0, description="不满意.")
    rate: Optional[Number] = Field(None, ge=0, le=100, description="满意率 in %, as the source states it (often 满意 + 基本满意).")


class Progress(Strict):
    """What one report says about one item."""

    report: RefId = Field(description="Id of an entry in `reports`.")
    status_text: Optional[ShortText] = Field(None, description="The city's own status wording, verbatim: 已完成二季度任务.")
    status: Status = Field(description="Ours: the status on the common scale (see the methodology page).")
    percent: Optional[Number] = Field(None, ge=0, le=1000, description="Overall percent of the target, as reported.")
    measures: list[Measure] = Field(default_factory=list)
    text: Optional[Text] = Field(None, description="The report's text on this item, verbatim.")
    investment: Optional[Money] = Field(None, description="完成投资: the investment the report says has been made so far, verbatim and in 元.")
    note: Optional[Text] = Field(None, description="Ours.")


class Item(Strict):
    """One pledge (件/项/任务), possibly with sub-items."""

    id: ItemId
    label: Optional[ShortText] = Field(None, description="The source's own numbering: 第六件, 3., (1), ①.")
    section: Optional[RefId] = Field(None, description="Id of the section this item belongs to.")
    text: Text = Field(description="The pledge, verbatim.")
    title: Optional[ShortText] = Field(None, description="Ours: a short title for lists (under 20 characters).")
    goal: Optional[Text] = Field(None, description="The source's stated task goal (任务目标), verbatim, when it is separate from the pledge.")
    explanation: Optional[Text] = Field(None, description="The official explanation, verbatim.")
    lead: list[ShortText] = Field(default_factory=list, description="Lead units (牵头单位/责任单位), verbatim, one per entry.")
    topics: list[Slug] = Field(default_factory=list, description="Ids from data/topics.yml.")
    deadline: Optional[Date] = None
    targets: list[Target] = Field(default_factory=list)
    investment: Optional[Money] = Field(None, description="计划投资: the investment the pledge states (its text, goal or explanation), verbatim and in 元.")
    vote: Optional[Votes] = Field(None, description="This item's votes in the list's `vote` (人大代表票决).")
    satisfaction: Optional[Satisfaction] = Field(None, description="This item's result in the list's `satisfaction` (满意度测评).")
    progress: list[Progress] = Field(default_factory=list, description="One entry per report, oldest first.")
    related: list[ItemRef] = Field(default_factory=list, description="The same pledge in another year or city.")
    redirect_from: list[ItemId] = Field(default_factory=list, description="Former ids that must keep working.")
    note: Optional[Text] = Field(None, description="Ours.")
    subitems: list[Item] = Field(default_factory=list)


InferableField = Literal["published", "period", "deadline", "issuer"]


class PledgeList(Strict):
    """`data/<city>/<year>.yml`: one published pledge list with its progress reports."""

    city: Slug
    year: StrictInt = Field(ge=1990, le=2100, description="Year of publication (and the file name).")
    title: Text = Field(description="The list's title, verbatim where the source has one.")
    kind: ShortText = Field(description="The source's own name for the list: 市办实事, 民生实事, 重点任务清单.")
    published: Optional[Date] = Field(None, description="When the list was published; leave out only when no source states it (and say so in `note`).")
    period: Period
    deadline: Optional[Date] = Field(None, description="Default deadline for every item, when the source states one.")
    issuer: ShortText = Field(description="Who issued the list: 青岛市人民政府.")
    source: RefId = Field(description="Id of the source the list itself comes from.")
    summary: Optional[Text] = Field(None, description="The source's introduction, verbatim.")
    note: Optional[Text] = Field(None, description="Ours.")
    sources: list[Source] = Field(min_length=1)
    reports: list[Report] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    items: list[Item] = Field(min_length=1)
    vote: Optional[Vote] = Field(None, description="人大代表票决: who chose the items by vote, when, and the candidates that lost.")
    satisfaction: Optional[Assessment] = Field(None, description="满意度测评: who judged the items at year end, when, and on which scale.")
    alternatives: list[Text] = Field(default_factory=list, description="备选事项: matters the source says were considered but not adopted, verbatim.")
    removed_ids: list[ItemId] = Field(default_factory=list, description="Ids that were published and then removed on purpose.")
    inferred: dict[InferableField, Text] = Field(
        default_factory=dict,
        description="Ours: facts of the list that no source states, each with the reason we give it ({deadline: 按年度清单惯例推定为当年年底}). Pages show them as 本站推定.",
    )


Item.model_rebuild()

HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")


def walk_items(items, path=("items",), parent=None):
    """Yield (item, path, parent) for every item and sub-item, depth first, in source order;
    `path` is where the item is in the file: ("items", 3, "subitems", 0)."""
    for i, item in enumerate(items):
        yield item, path + (i,), parent
        yield from walk_items(item.subitems, path + (i, "subitems"), item)
