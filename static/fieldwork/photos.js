// Photos (templates/fieldwork/photos/_input.html): scale each chosen photo down on the phone before it is sent,
// and show small previews. Without JavaScript the input sends the photos whole and the server scales them.
//
// The scaled photos replace the input's own files (DataTransfer), so whoever reads the input afterwards — the
// form's plain multipart POST, htmx, or the offline queue that stores the visit form's files — gets the scaled
// ones. The server checks and re-encodes every photo again (services/photos.py): this only saves the upload.
(function () {
  "use strict";
  if (window.fieldworkPhotos) return; // included by more than one form on a page, or swapped in again by htmx
  var LONGEST_SIDE = 1600;
  var QUALITY = 0.8;
  var PREVIEW_HEIGHT = 128;
  var pending = new WeakMap(); // input → the promise of its scaling

  function sizeText(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function decode(file) {
    if (window.createImageBitmap) {
      // "from-image": turned upright from the EXIF orientation; the canvas then writes no EXIF at all
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { URL.revokeObjectURL(url); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not an image")); };
      image.src = url;
    });
  }

  function draw(bitmap, width, height) {
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
    return canvas;
  }

  function scaled(file) {
    return decode(file).then(function (bitmap) {
      var width = bitmap.width, height = bitmap.height;
      var ratio = Math.min(1, LONGEST_SIDE / Math.max(width, height));
      var canvas = draw(bitmap, Math.round(width * ratio), Math.round(height * ratio));
      var preview = draw(bitmap, Math.max(1, Math.round(width * PREVIEW_HEIGHT / height)), PREVIEW_HEIGHT);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (ratio === 1 && blob.size >= file.size && /jpe?g$/i.test(file.type))) {
            resolve({ file: file, preview: preview }); // small already: sent as it is
            return;
          }
          var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
          resolve({
            file: new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified || Date.now() }),
            preview: preview,
          });
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () {
      return { file: file, preview: null }; // not readable here (HEIC on some browsers): the server says why
    });
  }

  function show(input, results, originals) {
    var box = input.closest("[data-photo-field]");
    var previews = box ? box.querySelector("[data-photo-previews]") : null;
    if (!previews) return;
    previews.textContent = "";
    results.forEach(function (result, index) {
      var figure = document.createElement("figure");
      figure.className = "m-0 small text-body-secondary";
      figure.dataset.photoPreview = "";
      figure.dataset.photoBytesBefore = String(originals[index].size);
      figure.dataset.photoBytesAfter = String(result.file.size);
      if (result.preview) {
        result.preview.setAttribute("role", "img");
        result.preview.setAttribute("aria-label", result.file.name);
        figure.appendChild(result.preview);
      }
      var caption = document.createElement("figcaption");
      caption.textContent = result.file === originals[index]
        ? sizeText(result.file.size)
        : sizeText(originals[index].size) + " → " + sizeText(result.file.size);
      figure.appendChild(caption);
      previews.appendChild(figure);
    });
  }

  function scaleInput(input) {
    var originals = Array.prototype.slice.call(input.files || []);
    if (!originals.length) {
      show(input, [], []);
      return Promise.resolve();
    }
    input.dataset.photoScaling = "1";
    var work = Promise.all(originals.map(scaled)).then(function (results) {
      if (typeof DataTransfer !== "undefined") {
        try {
          var transfer = new DataTransfer();
          results.forEach(function (result) { transfer.items.add(result.file); });
          input.files = transfer.files; // sets the files without a change event
        } catch (error) { /* an old browser: the photos go whole, and the server scales them */ }
      }
      show(input, results, originals);
      delete input.dataset.photoScaling;
      input.dataset.photoScaled = "1";
    });
    pending.set(input, work);
    return work;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[data-photo-input]")) scaleInput(input);
  });

  // A form sent while its photos are still being scaled waits for them, then is sent as it was (htmx too).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var busy = Array.prototype.filter.call(form.querySelectorAll("input[data-photo-input]"), function (input) {
      return input.dataset.photoScaling === "1";
    });
    if (!busy.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter || null;
    Promise.all(busy.map(function (input) { return pending.get(input); })).then(function () {
      if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
    });
  }, true);

  window.fieldworkPhotos = { scaleInput: scaleInput };
})();
