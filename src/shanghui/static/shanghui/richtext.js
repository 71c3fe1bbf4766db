/* The rich-text editor of every formatted text (event descriptions, minutes …; the widget is
 * core.richtext.RichTextarea): every textarea[data-rich-text] becomes a small pell editor
 * (bold, two heading levels, paragraphs, lists, links). The textarea stays in the form and
 * carries the HTML, so without JavaScript — or if this file fails — the form is a plain
 * textarea. The server sanitises whatever it receives (core.richtext.sanitize_html); the
 * cleaning here only keeps the editor tidy (pasted Word or web pages, old content) and keeps
 * the pictures the server keeps: the platform's own (data-own-images, the association's
 * picture pages), none from elsewhere. */
(function () {
  "use strict";
  if (!window.pell || !window.DOMParser) return;

  var KEEP = {
    P: 1, BR: 1, STRONG: 1, B: 1, EM: 1, I: 1, U: 1, UL: 1, OL: 1, LI: 1, H2: 1, H3: 1,
    H4: 1, BLOCKQUOTE: 1, A: 1, TABLE: 1, THEAD: 1, TBODY: 1, TR: 1, TH: 1, TD: 1
  };
  var DROP = {
    SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, SVG: 1, MATH: 1, FORM: 1,
    INPUT: 1, BUTTON: 1, SELECT: 1, TEXTAREA: 1, LINK: 1, META: 1, TITLE: 1, VIDEO: 1, AUDIO: 1
  };
  var SAFE_LINK = /^(https?:\/\/|mailto:)/i;
  // As core.richtext.OWN_PICTURE_ROUTE: with the stored file's version (?v=) or without.
  var OWN_ROUTE = /^\/a\/[A-Za-z0-9_-]+\/([A-Za-z0-9_-]+\/)*(cover|logo|photo|picture)\/(\?v=[0-9a-f]{1,32})?$/;
  var OWN_REST = /^[A-Za-z0-9_.~%\/=&?+-]*$/;

  function ownPicture(src, media) {
    if (OWN_ROUTE.test(src)) return true;
    if (!media || src.indexOf(media) !== 0) return false;
    var rest = src.slice(media.length);
    return rest.charAt(0) !== "/" && rest.indexOf("..") < 0 && OWN_REST.test(rest);
  }

  function tidy(node, media) {
    var child = node.firstChild;
    while (child) {
      var next = child.nextSibling;
      if (child.nodeType === 1) {
        var tag = child.tagName.toUpperCase();
        if (tag === "IMG") {
          var src = child.getAttribute("src") || "";
          var alt = child.getAttribute("alt") || "";
          if (ownPicture(src, media)) {
            while (child.attributes.length) child.removeAttribute(child.attributes[0].name);
            child.setAttribute("src", src);
            if (alt) child.setAttribute("alt", alt);
          } else {
            node.removeChild(child);
          }
        } else if (DROP[tag]) {
          node.removeChild(child);
        } else {
          tidy(child, media);
          if (KEEP[tag]) {
            var href = tag === "A" ? child.getAttribute("href") || "" : "";
            while (child.attributes.length) child.removeAttribute(child.attributes[0].name);
            if (href && SAFE_LINK.test(href)) child.setAttribute("href", href);
          } else {
            // H1 and other blocks become paragraphs; inline wrappers (span, font) vanish.
            var block = /^(H1|H5|H6|DIV|SECTION|ARTICLE|HEADER|FOOTER|PRE)$/.test(tag);
            var holder = block ? document.createElement(tag === "H1" ? "h2" : "p") : null;
            while (child.firstChild) (holder || node).insertBefore(child.firstChild, holder ? null : child);
            if (holder) node.insertBefore(holder, child);
            node.removeChild(child);
          }
        }
      } else if (child.nodeType !== 3) {
        node.removeChild(child); // comments (Word's conditional ones)
      }
      child = next;
    }
  }

  // Parsed in an inert document: nothing in it loads or runs.
  function clean(html, media) {
    var doc = new window.DOMParser().parseFromString(html || "", "text/html");
    tidy(doc.body, media);
    return doc.body.innerHTML;
  }

  function esc(text) {
    var span = document.createElement("span");
    span.textContent = text || "";
    return span.innerHTML;
  }

  function setUp(textarea) {
    var labels = textarea.dataset;
    var media = textarea.getAttribute("data-own-images") || "";
    var holder = document.createElement("div");
    holder.className = "pell rt-editor";
    textarea.parentNode.insertBefore(holder, textarea);
    function block(tag) { return function () { return window.pell.exec("formatBlock", "<" + tag + ">"); }; }
    var editor = window.pell.init({
      element: holder,
      defaultParagraphSeparator: "p",
      onChange: function (html) { textarea.value = html; },
      actions: [
        { name: "bold", icon: "<b>B</b>", title: labels.labelBold },
        { name: "heading", icon: esc(labels.labelHeading), title: labels.labelHeading, result: block("h2") },
        { name: "subheading", icon: esc(labels.labelSubheading), title: labels.labelSubheading, result: block("h3") },
        { name: "paragraph", icon: esc(labels.labelParagraph), title: labels.labelParagraph, result: block("p") },
        { name: "ulist", icon: "&#8226; &#8801;", title: labels.labelUlist },
        { name: "olist", icon: "1. &#8801;", title: labels.labelOlist },
        {
          name: "link",
          icon: esc(labels.labelLink),
          title: labels.labelLink,
          result: function () {
            var url = window.prompt(labels.labelLinkPrompt || "https://", "https://");
            if (url && SAFE_LINK.test(url.trim())) window.pell.exec("createLink", url.trim());
          }
        },
        {
          name: "unlink",
          icon: esc(labels.labelUnlink),
          title: labels.labelUnlink,
          result: function () { return window.pell.exec("unlink"); }
        }
      ]
    });
    var content = editor.content;
    Array.prototype.forEach.call(holder.querySelectorAll(".pell-button"), function (button) {
      button.setAttribute("aria-label", button.title);
    });
    content.innerHTML = clean(textarea.value, media);
    content.setAttribute("role", "textbox");
    content.setAttribute("aria-multiline", "true");
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = label.id || textarea.id + "-label";
      content.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { content.focus(); });
    }
    if (textarea.getAttribute("aria-describedby")) {
      content.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    content.addEventListener("paste", function (event) {
      var html = event.clipboardData && event.clipboardData.getData("text/html");
      if (!html) return; // plain text: the browser's own paste
      event.preventDefault();
      window.pell.exec("insertHTML", clean(html, media));
    });
    textarea.hidden = true;
    textarea.style.display = "none"; // the form's CSS would show a [hidden] textarea
    var form = textarea.form;
    if (form) {
      form.addEventListener("submit", function () {
        var text = (content.textContent || "").trim();
        textarea.value = text ? content.innerHTML : "";
      });
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-rich-text]"), setUp);
})();
