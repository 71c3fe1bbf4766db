/* 资料库: the upload form's resumable path. Files up to data-tus-from bytes go with the form
 * (multipart, one request); larger ones go to the tus 1.0.0 endpoint (data-tus-endpoint) in
 * chunks: POST creates the upload (Upload-Length, Upload-Metadata "filename <b64>,folder_id
 * <b64>"), PATCH sends each chunk at Upload-Offset, and after a network error HEAD asks the
 * server where to go on. An upload's address is remembered in localStorage (by folder, name,
 * size and date), so choosing the same file again after the page was closed resumes it.
 * Without JavaScript every file goes with the form.
 */
(function () {
  "use strict";

  var chunk = 8 * 1024 * 1024; // the server's X-Chunk-Size replaces it
  var RETRIES = 5;
  var form = document.getElementById("upload-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var input = form.querySelector('input[type="file"]');
  var list = document.getElementById("upload-progress");
  var endpoint = form.getAttribute("data-tus-endpoint");
  var threshold = parseInt(form.getAttribute("data-tus-from"), 10) || 8 * 1024 * 1024;
  var folderId = form.getAttribute("data-folder-id");

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  function b64(text) {
    return window.btoa(unescape(encodeURIComponent(text)));
  }

  function row(name) {
    var item = document.createElement("li");
    var label = document.createElement("div");
    label.textContent = name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var note = document.createElement("div");
    note.className = "muted small";
    item.appendChild(label);
    item.appendChild(bar);
    item.appendChild(note);
    list.appendChild(item);
    return { bar: bar, note: note };
  }

  function headers(extra) {
    var base = { "Tus-Resumable": "1.0.0", "X-CSRFToken": csrfToken() };
    Object.keys(extra || {}).forEach(function (key) {
      base[key] = extra[key];
    });
    return base;
  }

  function storeKey(file) {
    return ["sh-tus", folderId, file.name, file.size, file.lastModified].join(":");
  }

  function wait(ms) {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, ms);
    });
  }

  function create(file) {
    return fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: headers({
        "Upload-Length": String(file.size),
        "Upload-Metadata": "filename " + b64(file.name) + ",folder_id " + b64(folderId),
      }),
    }).then(function (response) {
      if (response.status === 404 || response.status === 405) {
        var missing = new Error("");
        missing.fallback = true; // no resumable endpoint here: the form sends the file
        throw missing;
      }
      if (response.status !== 201 || !response.headers.get("Location")) {
        return response.text().then(function (text) {
          var message = "";
          try {
            message = JSON.parse(text).error.message;
          } catch (ignored) {
            message = "";
          }
          throw new Error(message || form.getAttribute("data-error-create") || "无法开始上传");
        });
      }
      // An absolute path or URL as sent; a relative one is below the endpoint.
      var location = new URL(
        response.headers.get("Location"),
        new URL(endpoint + "/", window.location.href)
      ).toString();
      window.localStorage.setItem(storeKey(file), location);
      chunk = Math.min(parseInt(response.headers.get("X-Chunk-Size"), 10) || chunk, 16 * 1024 * 1024);
      return location;
    });
  }

  function offsetOf(location) {
    return fetch(location, { method: "HEAD", credentials: "same-origin", headers: headers() }).then(
      function (response) {
        if (!response.ok) {
          throw new Error("gone");
        }
        return parseInt(response.headers.get("Upload-Offset"), 10) || 0;
      }
    );
  }

  function send(file, location, offset, shown, tries) {
    if (offset >= file.size) {
      return Promise.resolve();
    }
    var piece = file.slice(offset, Math.min(offset + chunk, file.size));
    return fetch(location, {
      method: "PATCH",
      credentials: "same-origin",
      headers: headers({
        "Upload-Offset": String(offset),
        "Content-Type": "application/offset+octet-stream",
      }),
      body: piece,
    })
      .then(function (response) {
        if (response.status !== 204 && response.status !== 200) {
          return response.text().then(function (text) {
            var error = new Error("");
            try {
              error.message = JSON.parse(text).error.message;
            } catch (ignored) {
              error.message = "";
            }
            error.fatal = response.status >= 400 && response.status < 500 && response.status !== 409;
            throw error;
          });
        }
        var next = parseInt(response.headers.get("Upload-Offset"), 10) || offset + piece.size;
        shown.bar.value = Math.floor((next * 100) / file.size);
        return send(file, location, next, shown, 0);
      })
      .catch(function (error) {
        if (error.fatal || tries >= RETRIES) {
          throw error;
        }
        shown.note.textContent = "网络中断，正在续传…";
        return wait(1000 * (tries + 1))
          .then(function () {
            return offsetOf(location);
          })
          .then(function (at) {
            shown.note.textContent = "";
            return send(file, location, at, shown, tries + 1);
          });
      });
  }

  function resumable(file) {
    var shown = row(file.name);
    var known = window.localStorage.getItem(storeKey(file));
    var start = known
      ? offsetOf(known)
          .then(function (at) {
            return { location: known, offset: at };
          })
          .catch(function () {
            return create(file).then(function (location) {
              return { location: location, offset: 0 };
            });
          })
      : create(file).then(function (location) {
          return { location: location, offset: 0 };
        });
    return start
      .then(function (found) {
        return send(file, found.location, found.offset, shown, 0);
      })
      .then(function () {
        window.localStorage.removeItem(storeKey(file));
        shown.bar.value = 100;
        shown.note.textContent = "已上传";
        return true;
      })
      .catch(function (error) {
        if (error.fallback) {
          shown.note.textContent = "";
          return "form";
        }
        shown.note.textContent = error.message || "上传失败，请重试";
        return false;
      });
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    var large = files.filter(function (file) {
      return file.size > threshold;
    });
    if (!large.length || !endpoint) {
      return; // the form posts everything itself
    }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button) {
      button.disabled = true;
    }
    var small = files.filter(function (file) {
      return file.size <= threshold;
    });
    var chain = Promise.resolve(true);
    large.forEach(function (file) {
      chain = chain.then(function (allGood) {
        return resumable(file).then(function (ok) {
          if (ok === "form") {
            small.push(file);
            return allGood;
          }
          return allGood && ok;
        });
      });
    });
    chain.then(function (allGood) {
      if (small.length) {
        var data = new FormData();
        data.append("csrfmiddlewaretoken", csrfToken());
        small.forEach(function (file) {
          data.append("files", file, file.name);
        });
        return fetch(form.action, { method: "POST", body: data, credentials: "same-origin" }).then(
          function () {
            return allGood;
          }
        );
      }
      return allGood;
    }).then(function (allGood) {
      if (allGood) {
        window.location.assign(form.getAttribute("data-done-url") || window.location.href);
      } else if (button) {
        button.disabled = false;
      }
    });
  });
})();
