"""core.http.safe_filename: the one way data gets into a download's file name; and
``attachment_response``, the one way a download is answered."""

from django.http import HttpResponse

from shanghui.core.http import attachment_response, content_disposition, safe_filename


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


def test_a_built_download_gets_a_safe_name_and_its_type() -> None:
    response = attachment_response(b"PK", '../名单";.xlsx')
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E5%90%8D%E5%8D%95.xlsx"
    shown = attachment_response(b"%PDF", "receipt-1.pdf", inline=True)
    assert (shown["Content-Type"], shown["Content-Disposition"]) == (
        "application/pdf",
        'inline; filename="receipt-1.pdf"',
    )
    assert attachment_response(b"{}", "x.json")["Content-Type"] == "application/json"
