/* The WeChat share card of a public page (publishing/public/_site.html loads this after the
   JS-SDK, inside WeChat only): the signed configuration and the card come from the page's
   #sh-wechat-share JSON. Any failure leaves WeChat's plain link share. */
(function () {
  "use strict";
  var node = document.getElementById("sh-wechat-share");
  var wx = window.wx || window.jWeixin;
  if (!node || !wx) return;
  var data;
  try {
    data = JSON.parse(node.textContent);
  } catch (e) {
    return;
  }
  wx.config({
    debug: false,
    appId: data.appId,
    timestamp: data.timestamp,
    nonceStr: data.nonceStr,
    signature: data.signature,
    jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"]
  });
  wx.ready(function () {
    var card = { title: data.title, desc: data.desc, link: data.link, imgUrl: data.imgUrl };
    wx.updateAppMessageShareData(card);
    wx.updateTimelineShareData({ title: data.title, link: data.link, imgUrl: data.imgUrl });
  });
})();
