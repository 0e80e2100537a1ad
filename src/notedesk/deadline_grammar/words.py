"""What counts as a date- or time-like word when it is left over, and which look-alikes are not.

The reader marks what its rules consumed; whatever is left is checked here. A digit, a Chinese
time character (年月日号天周点时分秒刻…), an English date or time word, or a near-miss of one (a
typo: "tomorow", "fridya") makes the reading unscheduled with that word quoted. Fillers that merely
contain such a character (日期, 时间, 地点, 月饼, 周先生…) do not.
"""

from __future__ import annotations

import functools
import re

# Chinese characters that say a date or a time when nothing consumed them.
# and words that would change what the rest says: 每 (every), negations (不, 别, 除, 没, 勿, 非)
_ZH_TEMPORAL = "年月日号天周星期礼拜点时分秒刻旬季节宵夕晚早午夜晨昨今明钟廿卅朝昼晏旦每隔不别除没勿非"

# Words holding such characters that say no date (or no deadline): surrounding words.
_ZH_FILLERS = re.compile(
    "日期|时间|时候|时效|时长|时段|及时|准时|按时|同时|临时|暂时|随时|实时|届时|到时|当时|平时|小时候|时代"
    "|天猫|天津|天气|天然|天地|天空|明白|明确|说明|注明|标明|声明|证明|发明|透明|明细|光明|今后|分批|分开|部分|分别"
    "|分装|分拣|分公司|分店|万分|十分|充分|分量|点击|地点|重点|网点|检查点|[早晚快慢]一点|一点|早点|晚点|有点|晚上好|早上好|节省|节约|环节|细节"
    "|季节|日本|日用|日常|工作|早日|尽早|提早|及早|趁早|周到|周转|周边|周围|周全|周密|月饼|日历|台历|挂历|年货"
    "|年糕|年会|年级|年龄|年终奖|周年|钟表|闹钟|时钟|早餐|午餐|晚餐|夜宵|夜灯|晚会|期间|期限|日程|日子|当日达"
    "|周(?=先生|小姐|女士|总|经理|师傅|老师|工)|节目|节点|季度报|明星|分钟级"
    "|最晚|最迟|最早|越早越好|越快越好|不晚于|不迟于|不得晚于|不要晚于|不能晚于|不超过|不要超过|最晚不超过|不限|非常"
    "|\\d+(?:\\.\\d+)?\\s*(?:件|箱|个(?![月星工小钟礼])|台|套|只|张|米|公斤|千克|吨|包|盒|瓶|袋|卷|双|条|块|元|万)"
)

_EN_FILLERS = re.compile(r"\bgood\s+(?:morning|afternoon|evening|night|day)\b|\bn[o']t?\s+later\s+than\b"
                         r"|\bno\s+earlier\s+than\b|\b\d+(?:\.\d+)?\s*(?:pcs|pieces|units|boxes|cartons|pallets|kg|%)"
                         r"|\b[a-z]{1,4}-\d{4}-\d+\b", re.ASCII)

# English words that say a date or a time (stems; plurals and "'s" are stripped before looking).
_EN_TEMPORAL = frozenset("""
    january february march april june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu
    thur thurs fri sat sun today tonight tomorrow tomorrows tmrw tmr yesterday morning afternoon evening night
    noon midday midnight am pm a.m p.m o'clock oclock day week month year hour minute min mins hr hrs sec
    second weekend wkend fortnight quarter qtr eod eow eom eoy christmas xmas easter thanksgiving halloween
    holiday holidays eve lunch lunchtime dinner breakfast dawn dusk sunrise sunset spring summer autumn fall
    winter season weekday weekdays yr yrs overmorrow ides ish every each daily early late earliest first last
    soonest not no never except excluding unless cannot cant wont dont isnt weekly monthly yearly annually
    biweekly past utc gmt cet cest pst pdt est edt cst cdt mst mdt jst kst hkt sgt aest bst
""".split())  # noqa: SIM905 (a word list reads as words; the time zones: a time in another zone is not ours)

# Words a typo of which is a date word nobody may guess at (long enough to tell from ordinary words).
_TYPO_TARGETS = tuple(w for w in _EN_TEMPORAL if len(w) >= 5 and "." not in w and "'" not in w)


def fillers(s: str) -> list[tuple[int, int]]:
    """Spans of surrounding words that only look temporal (日期, 地点, good morning)."""
    return [m.span() for m in _ZH_FILLERS.finditer(s)] + [m.span() for m in _EN_FILLERS.finditer(s)]


def is_zh_temporal(c: str) -> bool:
    return c in _ZH_TEMPORAL


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition counts one), stopping past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@functools.lru_cache(maxsize=4096)
def is_en_temporal(word: str) -> bool:
    """A date or time word, or a near miss of one ("tomorow", "wendesday", "decmber")."""
    w = word.strip(".'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _EN_TEMPORAL or (w.endswith("s") and w[:-1] in _EN_TEMPORAL):
        return w != "may"  # the verb far more often than the month, when nothing else reads it
    if len(w) < 5:
        return False
    limit = 2 if len(w) >= 8 else 1
    if any(_distance(w, target, limit) <= limit for target in _TYPO_TARGETS):
        return True
    # glued to something else: "pmtomorow", "eastertomorrow"
    return 7 <= len(w) <= 24 and any(
        target in w or any(_distance(w[i:i + n], target, 1) <= 1
                           for n in (len(target) - 1, len(target), len(target) + 1) for i in range(len(w) - n + 1))
        for target in _TYPO_TARGETS if len(target) >= 6 and len(w) > len(target))
