// Photos shrunk on the phone before they travel (issue 27 item 1): each photo chosen in the entry
// form is decoded by the browser (createImageBitmap, turned upright by its EXIF orientation),
// scaled to the longest edge the server keeps (data-edge on this script: images.MASTER_EDGE),
// drawn on a canvas and re-encoded as JPEG, which carries no EXIF and no location, and put back
// into its file input (DataTransfer). The server checks and re-encodes every file as before.
//
// The original is sent as it is where the browser cannot do this (no createImageBitmap, toBlob or
// DataTransfer; a decode that fails), and when it is a JPEG already within the edge that carries
// no metadata segment (nothing to strip, and a second encoding would only lose quality).
// Photos are done one at a time (a 12-megapixel bitmap takes 48 MB); window.portalPhotoShrink.settled()
// is a promise of all work in hand (static/js/upload.js waits for it before sending).
(function () {
  "use strict";

  var script = document.currentScript;
  var form = document.querySelector("form[data-entry-form]");
  var EDGE = parseInt(script && script.getAttribute("data-edge"), 10) || 0;
  var QUALITY = parseFloat(script && script.getAttribute("data-quality")) || 0.7;  // bench/phones.py: ≥ 5× fewer bytes than a 4000×3000 original
  var queue = Promise.resolve();
  var inHand = 0;

  window.portalPhotoShrink = { settled: function () { return queue; }, busy: function () { return inHand > 0; } };

  function supported() {
    if (!form || !EDGE || typeof window.createImageBitmap !== "function" || !window.Promise) { return false; }
    if (!window.HTMLCanvasElement || !HTMLCanvasElement.prototype.toBlob || typeof window.DataTransfer !== "function") { return false; }
    try { return !!new DataTransfer().items; } catch (e) { return false; }  // older Safari: no constructor
  }
  if (!supported()) { return; }

  // Does this JPEG carry anything beside its pixels (EXIF, XMP, GPS, comments)? Reads the segments
  // before the image data: APP0 (JFIF) and APP14 (Adobe colour) are harmless, any other APPn or COM is not.
  function jpegMetadata(file) {
    return file.slice(0, 256 * 1024).arrayBuffer().then(function (buffer) {
      var bytes = new DataView(buffer);
      if (bytes.byteLength < 4 || bytes.getUint16(0) !== 0xffd8) { return null; }  // not a JPEG
      var at = 2;
      while (at + 4 <= bytes.byteLength) {
        if (bytes.getUint8(at) !== 0xff) { return true; }  // not where a segment should start: play safe
        var marker = bytes.getUint8(at + 1);
        if (marker === 0xda || marker === 0xd9) { return false; }  // image data reached: nothing found
        if ((marker >= 0xe1 && marker <= 0xef && marker !== 0xee) || marker === 0xfe) { return true; }
        at += 2 + bytes.getUint16(at + 2);
      }
      return true;  // segments longer than we read: play safe
    });
  }

  function encode(bitmap, width, height) {
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff";  // transparent parts become white, as on the server
    context.fillRect(0, 0, width, height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, width, height);
    return new Promise(function (resolve) {
      canvas.toBlob(function (blob) { canvas.width = canvas.height = 0; resolve(blob); }, "image/jpeg", QUALITY);
    });
  }

  function shrink(file) {
    var isJpeg = /^image\/jpe?g$/i.test(file.type) || /\.jpe?g$/i.test(file.name);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var width = bitmap.width, height = bitmap.height;
      var scale = Math.min(1, EDGE / Math.max(width, height));
      var keepOriginal = scale === 1 && isJpeg ? jpegMetadata(file).then(function (meta) { return meta === false; }) : Promise.resolve(false);
      return keepOriginal.then(function (keep) {
        if (keep) { bitmap.close(); return null; }
        return encode(bitmap, Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)))
          .then(function (blob) { bitmap.close(); return blob; });
      });
    });
  }

  function handle(input) {
    var chosen = input.files && input.files[0];
    if (!chosen || !/^image\//i.test(chosen.type || "image/")) { return; }
    input.setAttribute("data-shrink", "working");
    inHand += 1;
    queue = queue.then(function () {
      return shrink(chosen).then(function (blob) {
        if (!input.files || input.files[0] !== chosen) { return; }  // another photo chosen meanwhile: its own turn
        if (!blob) { input.setAttribute("data-shrink", "original"); return; }
        var name = (chosen.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], name, { type: "image/jpeg", lastModified: chosen.lastModified }));
        input.files = transfer.files;  // no change event: the preview of the original stays
        input.setAttribute("data-shrink", "done");
        input.setAttribute("data-original-bytes", chosen.size);
        input.setAttribute("data-sent-bytes", blob.size);
      }).catch(function () {
        if (input.files && input.files[0] === chosen) { input.setAttribute("data-shrink", "original"); }  // the server judges it
      });
    }).then(function () { inHand -= 1; });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.type === "file" && input.hasAttribute("data-photo-input")) { handle(input); }
  });
})();
