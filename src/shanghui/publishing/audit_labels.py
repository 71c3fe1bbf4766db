"""What the publishing app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "publishing.article.create": _("新建资讯"),
        "publishing.article.update": _("修改资讯"),
        "publishing.article.submit": _("提交资讯审核"),
        "publishing.article.publish": _("发布资讯"),
        "publishing.article.schedule": _("定时发布资讯"),
        "publishing.article.unpublish": _("撤回资讯"),
        "publishing.article.return": _("退回资讯"),
        "publishing.article.pin": _("置顶资讯"),
        "publishing.article.unpin": _("取消置顶资讯"),
        "publishing.article.delete": _("删除资讯"),
        "publishing.article.restore": _("恢复资讯历史版本"),
        "publishing.article.import": _("导入公众号文章"),
        "publishing.image.upload": _("上传资讯图片"),
        "publishing.category.create": _("新建资讯栏目"),
        "publishing.category.update": _("修改资讯栏目"),
        "publishing.category.delete": _("删除资讯栏目"),
        "publishing.settings.portal": _("设置资讯同步到平台门户"),
    }
)

# Announcements (通知公告)
register_action_labels(
    {
        "publishing.announcement.create": _("新建通知"),
        "publishing.announcement.update": _("修改通知"),
        "publishing.announcement.delete": _("删除通知草稿"),
        "publishing.announcement.audience": _("设置通知发送范围"),
        "publishing.announcement.attach": _("上传通知附件"),
        "publishing.announcement.detach": _("删除通知附件"),
        "publishing.announcement.send": _("发送通知"),
        "publishing.announcement.remind": _("提醒未读人员"),
        "publishing.announcement.reply": _("提交通知回执"),
    }
)
