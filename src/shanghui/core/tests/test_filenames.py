"""core.http.safe_filename: the one way data gets into a download's file name."""

from django.http import HttpResponse

from shanghui.core.http import content_disposition, safe_filename


def test_a_file_name_keeps_letters_digits_and_chinese_only() -> None:
    crafted = safe_filename('certificate-../../x";\r\nSet-Cookie: a=b-2026.pdf')
    assert crafted == "certificate-.xSet-Cookieab-2026.pdf"
    assert safe_filename("会员证书-沪商_001-2026.pdf") == "会员证书-沪商_001-2026.pdf"
    assert safe_filename("a/b\\c d.xlsx") == "abcd.xlsx"
    assert safe_filename("\u202egpj.exe") == "gpj.exe"  # no right-to-left override
    assert safe_filename("../..") == "download"
    assert safe_filename("..pdf", fallback="file") == "file.pdf"
    assert safe_filename("x." + 'p"d\rf') == "x.pdf"
    long = safe_filename("名" * 300 + ".pdf")
    assert long == "名" * 80 + ".pdf"


def test_the_header_carries_a_chinese_name_in_rfc_5987_form() -> None:
    response = HttpResponse()
    response["Content-Disposition"] = content_disposition("会员导入模板.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E4%BC%9A%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    response["Content-Disposition"] = content_disposition('x";\r\n.pdf', inline=True)
    assert response["Content-Disposition"] == 'inline; filename="x.pdf"'
