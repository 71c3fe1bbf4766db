"""Title, Open Graph tags and the WeChat share card of a public page.

Every public page of an association's site names itself for search engines and link previews
(``og:title``, ``og:description``, ``og:image``, ``og:url``). Inside WeChat a shared link shows
the card that the page sets through the JS-SDK (``wx.updateAppMessageShareData``), signed
with the official account's jsapi ticket (``core.wechat.jssdk_config``); without a configured
account the page is shared as a plain link and loads no SDK."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from shanghui.core.wechat import jssdk_config


def share_context(
    request: HttpRequest,
    *,
    title: str,
    description: str = "",
    image: str = "",
    canonical: str = "",
) -> dict[str, Any]:
    """The template variables the site's frame (``publishing/public/_site.html``) reads.
    ``canonical``: the page's public address (a path), by default the requested path without
    its query (``?from=timeline`` and the like added by WeChat): what search engines,
    link previews and the share card name. The JS-SDK signs the URL actually requested."""
    url = request.build_absolute_uri()
    canonical_url = request.build_absolute_uri(canonical or request.path)
    description = " ".join(description.split())[:120]
    in_wechat = "micromessenger" in request.headers.get("User-Agent", "").lower()
    wechat = jssdk_config(url) if in_wechat else None
    return {
        "share": {
            "title": title,
            "description": description,
            "image": image,
            "url": canonical_url,
            "wechat": wechat,
            # What shanghui/share.js hands to wx.config and the share card.
            "wechat_json": {
                "appId": wechat.app_id,
                "timestamp": wechat.timestamp,
                "nonceStr": wechat.nonce,
                "signature": wechat.signature,
                "title": title,
                "desc": description,
                "link": canonical_url,
                "imgUrl": image,
            }
            if wechat
            else None,
        },
        "report_email": settings.REPORT_EMAIL,
    }
