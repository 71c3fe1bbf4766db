/* The check-in page's scanner: camera frames (or a photo of the QR code) are decoded with
 * the vendored jsQR; the decoded text goes into the code box and the form is submitted
 * (by htmx, so the result appears without leaving the page). */
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  var input = document.getElementById("checkin-code");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var hint = document.getElementById("scan-hint");
  var startButton = document.getElementById("scan-start");
  var fileInput = document.getElementById("scan-file");
  var scanner = document.getElementById("scanner");
  function say(name) { hint.textContent = (scanner && scanner.dataset[name]) || ""; }
  if (!form || !input || !canvas) return;
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var lastText = "";
  var lastAt = 0;

  function submit(text) {
    var now = Date.now();
    if (text === lastText && now - lastAt < 3000) return; // the same code still in view
    lastText = text;
    lastAt = now;
    input.value = text;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function decode(width, height) {
    if (!window.jsQR) return null;
    var image = context.getImageData(0, 0, width, height);
    var found = window.jsQR(image.data, width, height, { inversionAttempts: "attemptBoth" });
    return found && found.data ? found.data : null;
  }

  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var text = decode(canvas.width, canvas.height);
      if (text) submit(text);
    }
    window.requestAnimationFrame(tick);
  }

  if (startButton) {
    startButton.addEventListener("click", function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        say("noCamera");
        return;
      }
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" } })
        .then(function (stream) {
          video.srcObject = stream;
          video.style.display = "block";
          startButton.style.display = "none";
          video.play();
          window.requestAnimationFrame(tick);
        })
        .catch(function () {
          say("cameraDenied");
        });
    });
  }

  if (fileInput) {
    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) return;
      var image = new Image();
      image.onload = function () {
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        context.drawImage(image, 0, 0);
        var text = decode(canvas.width, canvas.height);
        URL.revokeObjectURL(image.src);
        fileInput.value = "";
        if (text) { lastText = ""; submit(text); } else { say("notFound"); }
      };
      image.src = URL.createObjectURL(file);
    });
  }

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var path = (event.detail && event.detail.pathInfo && event.detail.pathInfo.requestPath) || "";
    if (event.detail.successful && path.indexOf("/count/") === -1) {
      input.value = "";
      if (window.htmx) window.htmx.trigger(document.body, "checkin");
    }
  });
})();
