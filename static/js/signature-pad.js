// A signature pad for the working together agreement. Without JavaScript the pad stays hidden
// and the typed name works on its own; with it, drawing writes a PNG data URL into the hidden
// "drawing" input and selects "Drawn on screen".
(function () {
  "use strict";

  function init(pad) {
    var form = pad.closest("form");
    var canvas = pad.querySelector("canvas");
    var clear = pad.querySelector("[data-signature-clear]");
    var input = form && form.querySelector("input[name='drawing']");
    if (!canvas || !input || !canvas.getContext) {
      return;
    }
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    pad.hidden = false;
    canvas.style.touchAction = "none"; // stop the page scrolling while a finger signs

    function paper() {
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#0b0c0c";
    }

    function reset() {
      paper();
      drawn = false;
      input.value = "";
    }

    // After a form error the page comes back with the drawing still in the hidden input:
    // show it again rather than make the person sign twice.
    function restore() {
      paper();
      if (input.value.indexOf("data:image/png;base64,") === 0) {
        var image = new Image();
        image.onload = function () {
          context.drawImage(image, 0, 0, canvas.width, canvas.height);
        };
        image.src = input.value;
      }
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - box.left) * canvas.width) / box.width,
        y: ((event.clientY - box.top) * canvas.height) / box.height,
      };
    }

    function chooseDrawn() {
      var radio = form.querySelector("input[name='method'][value='drawn']");
      if (radio) {
        radio.checked = true;
      }
    }

    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      context.beginPath();
      context.moveTo(p.x, p.y);
      event.preventDefault();
    });

    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      var p = point(event);
      context.lineTo(p.x, p.y);
      context.stroke();
      drawn = true;
      event.preventDefault();
    });

    function finish() {
      if (!drawing) {
        return;
      }
      drawing = false;
      if (drawn) {
        input.value = canvas.toDataURL("image/png");
        chooseDrawn();
      }
    }

    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    clear.addEventListener("click", reset);
    restore();
  }

  document.querySelectorAll("[data-signature-pad]").forEach(init);
})();
