// Inbox: a "tick every lead on this page" box. Without JavaScript each row is ticked by hand.
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) { return; }
  var boxes = function () { return document.querySelectorAll("input.lead-select"); };
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes().forEach(function (box) { box.checked = all.checked; });
  });
  document.addEventListener("change", function (event) {
    if (!event.target.classList.contains("lead-select")) { return; }
    var list = Array.prototype.slice.call(boxes());
    all.checked = list.length > 0 && list.every(function (box) { return box.checked; });
  });
})();
