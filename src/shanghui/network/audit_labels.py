"""What this app's audit codes mean (``core.audit.register_action_labels``); registered
from contributions. Each part adds its own codes in its own dict below."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

# -- part L: listings, moderation, settings --
LISTING_LABELS = {
    "network.listing.approve": _("审核通过供需信息"),
    "network.listing.create": _("发布供需信息"),
    "network.listing.expire": _("供需信息到期"),
    "network.listing.image_add": _("上传供需信息图片"),
    "network.listing.image_remove": _("删除供需信息图片"),
    "network.listing.reject": _("审核驳回供需信息"),
    "network.listing.renew": _("续期供需信息"),
    "network.listing.report": _("举报供需信息"),
    "network.listing.take_down": _("下架供需信息"),
    "network.listing.update": _("修改供需信息"),
    "network.listing.withdraw": _("撤回供需信息"),
    "network.platform.block": _("暂停使用平台供需网络"),
    "network.platform.unblock": _("恢复使用平台供需网络"),
    "network.poster.block": _("暂停发布供需信息"),
    "network.poster.unblock": _("恢复发布供需信息"),
    "network.report.dismiss": _("举报不予处理"),
    "network.report.take_down": _("举报核实并下架"),
    "network.settings.update": _("修改供需对接设置"),
    "network.word.add": _("添加敏感词"),
    "network.word.remove": _("删除敏感词"),
}

# -- part C: conversations and deals --
CONVERSATION_LABELS = {
    "network.conversation.start": _("发起供需洽谈"),
    "network.conversation.share_contact": _("在洽谈中提供联系方式"),
    "network.conversation.withdraw_contact": _("撤回洽谈中的联系方式"),
    "network.conversation.block": _("屏蔽洽谈对方"),
    "network.conversation.unblock": _("解除屏蔽洽谈对方"),
    "network.deal.mark": _("登记供需成交"),
    "network.deal.update": _("修改供需成交金额"),
    "network.deal.answer": _("反馈供需是否成交"),
}

# -- part S: search, showcase, digest --
SEARCH_LABELS = {
    "network.showcase.on": _("加入平台企业展示"),
    "network.showcase.off": _("退出平台企业展示"),
    "network.showcase_item.create": _("添加展示产品/服务"),
    "network.showcase_item.update": _("修改展示产品/服务"),
    "network.showcase_item.delete": _("删除展示产品/服务"),
    "network.digest.send": _("发送供需周报"),
}


def register() -> None:
    """Called once from ``contributions``."""
    for labels in (LISTING_LABELS, CONVERSATION_LABELS, SEARCH_LABELS):
        register_action_labels(labels)
