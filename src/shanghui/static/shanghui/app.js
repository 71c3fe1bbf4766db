/* 云商会 — the little JavaScript every page shares. No framework, no outside requests.
 *
 * - htmx requests that change data carry Django's CSRF token (X-CSRFToken), read from
 *   <meta name="csrf-token"> that base.html renders, falling back to the csrftoken cookie
 *   (named __Host-csrftoken in production).
 * - hx-confirm="…" asks before an htmx request (htmx does that natively); plain forms, or
 *   one of their submit buttons, can use data-confirm="…" for the same.
 * - [data-sh-dismiss] removes its closest .sh-dismissable (flash messages).
 * - [data-sh-autosubmit] on a control submits its form when it changes (year pickers, the
 *   language menu, switches); [data-sh-select] selects its text when clicked (a feed URL).
 *   The Content-Security-Policy runs no inline handlers (onchange=…), so they live here.
 * - [data-sh-index] (the directory's A–Z strip) follows a finger sliding along it, as in
 *   WeChat contacts: the letter under the finger is marked, and lifting it opens that letter.
 *   26 letters cannot each be 44 px tall on a phone; the strip is one 44 px-wide target.
 * - A failed htmx request (server error, network down) shows the text of
 *   <body data-sh-error-text="…"> in #messages, since htmx swaps nothing on an error.
 * - [data-sh-required-if="kind=enterprise"] on a control makes it required, and shows the
 *   asterisk of its label, while the form's control "kind" has that value (includes/
 *   form_mobile.html); a file input holding a file kept from the last try (data-sh-kept) is
 *   marked but not required, and choosing another file shows its name in place of the kept one.
 * - [data-sh-region] (core/widgets/region_select.html): choosing a province or a city refills
 *   the select below it from /regions/<code>/ (JSON, built with textContent, never HTML) and
 *   empties and hides the ones further down.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var verb = (event.detail.verb || "get").toLowerCase();
    if (verb !== "get") {
      var token = csrfToken();
      if (token) {
        event.detail.headers["X-CSRFToken"] = token;
      }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question =
      (button && button.getAttribute("data-confirm")) ||
      (form && form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control && control.form && control.hasAttribute("data-sh-autosubmit")) {
      control.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-sh-select")) {
      event.target.select();
    }
    var button = event.target.closest && event.target.closest("[data-sh-dismiss]");
    if (button) {
      var box = button.closest(".sh-dismissable");
      if (box) {
        box.remove();
      }
    }
  });

  function showError() {
    var text = document.body.getAttribute("data-sh-error-text");
    var area = document.getElementById("messages");
    if (!text || !area) {
      return;
    }
    var box = document.createElement("div");
    box.className = "sh-msg sh-msg--error sh-dismissable";
    box.setAttribute("role", "alert");
    var span = document.createElement("span");
    span.className = "sh-msg__text";
    span.textContent = text;
    box.appendChild(span);
    area.textContent = "";
    area.appendChild(box);
  }

  var indexLink = null;

  function letterUnder(strip, touch) {
    var box = strip.getBoundingClientRect();
    var target = document.elementFromPoint(box.left + box.width / 2, touch.clientY);
    return target && target.closest ? target.closest("[data-sh-index] a") : null;
  }

  function markLetter(link) {
    if (indexLink === link) {
      return;
    }
    if (indexLink) {
      indexLink.classList.remove("is-touched");
    }
    indexLink = link;
    if (link) {
      link.classList.add("is-touched");
    }
  }

  document.addEventListener(
    "touchmove",
    function (event) {
      var strip = event.target.closest && event.target.closest("[data-sh-index]");
      if (!strip) {
        return;
      }
      event.preventDefault(); // the finger picks letters; the page stays put
      markLetter(letterUnder(strip, event.touches[0]));
    },
    { passive: false }
  );

  document.addEventListener("touchend", function (event) {
    var strip = event.target.closest && event.target.closest("[data-sh-index]");
    if (strip && indexLink) {
      event.preventDefault();
      window.location.href = indexLink.href;
    }
    markLetter(null);
  });

  function requiredIf(form) {
    var controls = form.querySelectorAll("[data-sh-required-if]");
    Array.prototype.forEach.call(controls, function (control) {
      var rule = control.getAttribute("data-sh-required-if").split("=");
      var other = form.elements[rule[0]];
      var on = Boolean(other) && other.value === rule[1];
      control.required = on && !control.hasAttribute("data-sh-kept");
      var label = control.id && form.querySelector('label[for="' + control.id + '"] .sh-req');
      if (label) {
        label.hidden = !on;
      }
    });
  }

  // The browser may have restored a different choice than the server rendered (back button).
  Array.prototype.forEach.call(document.forms, function (form) {
    if (form.querySelector("[data-sh-required-if]")) {
      requiredIf(form);
    }
  });

  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control && control.form && control.form.querySelector("[data-sh-required-if]")) {
      requiredIf(control.form);
    }
    if (control && control.type === "file" && control.hasAttribute("data-sh-kept")) {
      var name = control.parentNode.querySelector(".sh-kept-file__name");
      if (name && control.files && control.files.length) {
        name.textContent = control.files[0].name;
      }
    }
  });

  function regionReset(select) {
    while (select.options.length > 1) {
      select.remove(1);
    }
    select.value = "";
    select.hidden = true;
  }

  function regionFill(select, items) {
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.code;
      option.textContent = item.name;
      select.appendChild(option);
    });
    select.hidden = items.length === 0;
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    var picker = select && select.closest && select.closest("[data-sh-region]");
    if (!picker || select.tagName !== "SELECT") {
      return;
    }
    var selects = Array.prototype.slice.call(picker.querySelectorAll("select"));
    var below = selects.slice(selects.indexOf(select) + 1);
    below.forEach(regionReset);
    var code = select.value;
    if (!code || below.length === 0) {
      return;
    }
    var url = picker.getAttribute("data-sh-region").replace("000000", encodeURIComponent(code));
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { children: [] };
      })
      .then(function (data) {
        if (select.value === code) {
          regionFill(below[0], data.children || []);
        }
      })
      .catch(showError);
  });

  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
})();
