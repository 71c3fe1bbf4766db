"""How the door shows a person without a photo: the surname on a plain avatar. (Photos are
served by the check-in pages and API through ``core.uploads.image_response``.)"""

# Two-character surnames (复姓) that a plain avatar shows whole.
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
        "司徒", "夏侯", "令狐", "端木", "轩辕", "独孤", "南宫", "西门", "万俟", "闻人", "澹台",
        "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "钟离", "呼延", "百里", "东郭",
        "赫连", "拓跋", "司空", "第五", "左丘", "谷梁", "梁丘", "羊舌", "微生", "段干", "仲孙",
        "亓官", "巫马", "乐正", "壤驷", "公良", "漆雕",
    }
)  # fmt: skip


def surname(name: str) -> str:
    """ "欧阳修" → "欧阳", "龚志军" → "龚", "Lily Chen" → "L"; "" for no name."""
    text = (name or "").strip()
    if not text:
        return ""
    if len(text) > 2 and text[:2] in COMPOUND_SURNAMES:
        return text[:2]
    first = text[0]
    return first.upper() if first.isascii() else first
