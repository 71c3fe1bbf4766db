"""What the document library's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "documents.folder.create": _("新建文件夹"),
        "documents.folder.update": _("修改文件夹"),
        "documents.folder.delete": _("删除文件夹到回收站"),
        "documents.folder.restore": _("从回收站恢复文件夹"),
        "documents.folder.purge": _("彻底删除文件夹"),
        "documents.file.upload": _("上传文件"),
        "documents.file.update": _("修改文件"),
        "documents.file.download": _("下载文件"),
        "documents.file.zip": _("打包下载文件"),
        "documents.file.delete": _("删除文件到回收站"),
        "documents.file.restore": _("从回收站恢复文件"),
        "documents.file.purge": _("彻底删除文件"),
        "documents.version.restore": _("恢复文件历史版本"),
        "documents.trash.expire": _("回收站到期清理"),
        "documents.share.create": _("创建分享链接"),
        "documents.share.revoke": _("取消分享链接"),
        "documents.share.download": _("通过分享链接下载"),
        "documents.content.corrupt": _("发现损坏的文件"),
        "documents.module_file.download": _("下载其他模块的文件"),
        "documents.module_file.save": _("将其他模块的文件存入资料库"),
        "documents.module_file.restore": _("恢复其他模块文件的历史版本"),
        "documents.module_file.purge": _("彻底删除其他模块的文件"),
    }
)
