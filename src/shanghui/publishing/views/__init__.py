"""The publishing pages: ``reading`` (members' and visitors' news list and article, the
article pictures), ``office`` (the back office's list, editor, review and actions),
``categories`` (the categories), ``wechat`` (importing from a 公众号)."""
