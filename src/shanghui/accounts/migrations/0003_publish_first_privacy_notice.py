from django.db import migrations

BODY = """云商会（以下简称“平台”）重视您的个人信息保护。本政策说明我们如何收集、使用、存储和保护您的个人信息，以及您享有的权利。

一、我们收集的信息
1. 账号信息：手机号、姓名、电子邮箱（选填），用于登录和身份识别。
2. 会员信息：您所在商协会录入或您本人填写的企业信息、职务、籍贯、联系方式等，用于商协会的会员服务。
3. 操作记录：登录时间、来源地址和您在平台上的操作，用于安全审计。

二、我们如何使用信息
仅用于向您和您所在的商协会提供会员管理、会务、资讯、公益等服务；不会出售您的个人信息。
您的手机号等个人字段默认只对所在商协会秘书处可见，其他会员看到的是打码后的号码，除非您选择公开。

三、存储与安全
信息存储于中华人民共和国境内的服务器，采用访问控制、加密传输和操作审计等措施保护。各商协会的数据相互隔离。

四、您的权利
您可以随时在“个人中心”查看并下载您的全部个人信息（JSON 与 Excel 格式），更正您的信息，或申请注销账号。注销后，您的账号信息将被删除或匿名化处理。

五、联系我们
如有疑问，请联系平台运营方。"""


def forward(apps, schema_editor):
    PrivacyNotice = apps.get_model("accounts", "PrivacyNotice")
    PrivacyNotice.objects.get_or_create(
        version="2026-11", defaults={"title": "云商会隐私政策", "body": BODY}
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
