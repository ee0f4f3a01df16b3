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

// Inbox keys: "/" search, "j"/"k" next and previous row, "x" tick, "o" or Enter open, "?" the list
// of keys. Keys typed into a field are left alone; without this script every row is reached by Tab.
(function () {
  "use strict";
  var table = document.querySelector("table.inbox-table");
  var help = document.getElementById("inbox-keys");
  if (!table || !help) { return; }
  var search = document.getElementById("filter-q");
  var opener = document.getElementById("inbox-keys-open");
  var current = null;

  var rows = function () {
    return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-lead-id]"));
  };
  var typing = function (element) {
    if (!element || element.isContentEditable) { return Boolean(element); }
    if (element.tagName === "TEXTAREA" || element.tagName === "SELECT") { return true; }
    return element.tagName === "INPUT" && ["checkbox", "radio", "button", "submit", "reset"].indexOf(element.type) === -1;
  };
  // The row holding the focus (after Tab or a click) wins over the one last reached by j/k.
  var active = function () {
    var focused = document.activeElement && document.activeElement.closest("tbody tr[data-lead-id]");
    return focused && table.contains(focused) ? focused : current;
  };
  var reach = function (row) {
    if (current) { current.classList.remove("is-current"); }
    current = row;
    row.classList.add("is-current");
    row.tabIndex = -1;
    row.focus();
  };
  var move = function (step) {
    var list = rows();
    if (!list.length) { return; }
    var index = list.indexOf(active());
    reach(list[index === -1 ? 0 : Math.min(Math.max(index + step, 0), list.length - 1)]);
  };
  var open = function (row) {
    var link = row && row.querySelector("a[href]");
    if (link) { window.location.assign(link.href); }
  };
  var showHelp = function () { if (!help.open) { help.showModal(); } };

  if (opener) {
    opener.hidden = false;
    opener.addEventListener("click", showHelp);
  }
  document.getElementById("inbox-keys-close").addEventListener("click", function () { help.close(); });
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || help.open) { return; }
    if (typing(event.target)) { return; }
    var row = active();
    switch (event.key) {
      case "/":
        if (!search) { return; }
        search.focus();
        search.select();
        break;
      case "j": move(1); break;
      case "k": move(-1); break;
      case "x":
        if (!row) { return; }
        row.querySelector("input.lead-select").click();  // a real click: the "tick all" box follows
        break;
      case "o": if (!row) { return; } open(row); break;
      case "Enter":
        if (!row || event.target !== row) { return; }  // Enter on a link or button keeps its own meaning
        open(row);
        break;
      case "?": showHelp(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
