// The engagement board: move a card by dragging it onto a column, or from the keyboard with its
// "Pick up" button (arrow keys choose the column, Enter or Space drops, Escape puts it back).
// Either way the card's own "Move to" form is sent, token and version included, so every rule of
// the server applies; a move that needs more (a note, a reason, a certificate number) lands on the
// engagement page that asks for it. Without this script the form on each card does the same.
(function () {
  "use strict";
  var board = document.querySelector(".engagement-board");
  var live = document.getElementById("board-live");
  if (!board || !live) { return; }
  var help = document.getElementById("board-help");
  var picked = null;  // {card, button, columns, index} while a card is held from the keyboard
  var dragged = null;

  var say = function (template, values) {
    live.textContent = template.replace(/\{(\w+)\}/g, function (_, key) { return values[key] || ""; });
  };
  var stageName = function (column) {
    var heading = document.getElementById("column-" + column.dataset.stage);
    return heading ? heading.textContent.trim() : column.dataset.stage;
  };
  var offered = function (card) {
    var select = card.querySelector("form.board-move select[name=to_stage]");
    return select ? Array.prototype.map.call(select.options, function (option) { return option.value; }) : [];
  };
  // The columns this card may go to, in the board's order: the stages its form offers that have a column.
  var columnsFor = function (card) {
    var stages = offered(card);
    return Array.prototype.filter.call(board.querySelectorAll(".engagement-column"), function (column) {
      return stages.indexOf(column.dataset.stage) !== -1;
    });
  };
  var mark = function (columns, on) {
    columns.forEach(function (column) { column.classList.toggle("is-drop-target", on); });
  };
  var send = function (card, column) {
    var form = card.querySelector("form.board-move");
    form.querySelector("select[name=to_stage]").value = column.dataset.stage;
    say(live.dataset.moving, { client: card.dataset.client, stage: stageName(column) });
    form.requestSubmit();
  };

  // Mouse and touchpad: the whole card is the handle, except its fields (so text can be selected).
  board.querySelectorAll(".engagement-card").forEach(function (card) {
    var button = card.querySelector(".board-pick");
    if (!button) { return; }
    card.dataset.client = button.dataset.client;
    card.draggable = true;
    card.addEventListener("mousedown", function (event) {
      card.draggable = !event.target.closest("input, select, textarea");
    });
    card.addEventListener("dragstart", function (event) {
      dragged = { card: card, columns: columnsFor(card) };
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.engagementId);
      card.classList.add("is-dragging");
      mark(dragged.columns, true);
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("is-dragging");
      if (dragged) { mark(dragged.columns, false); }
      dragged = null;
    });
    button.hidden = false;
  });
  board.addEventListener("dragover", function (event) {
    var column = event.target.closest(".engagement-column");
    if (dragged && column && dragged.columns.indexOf(column) !== -1) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest(".engagement-column");
    if (!dragged || !column || dragged.columns.indexOf(column) === -1) { return; }
    event.preventDefault();
    send(dragged.card, column);
  });

  // Keyboard (and screen readers): pick up, choose, drop.
  var choose = function (index) {
    picked.columns[picked.index].classList.remove("is-chosen");
    picked.index = (index + picked.columns.length) % picked.columns.length;
    picked.columns[picked.index].classList.add("is-chosen");
  };
  var putBack = function (announce) {
    if (!picked) { return; }
    picked.columns[picked.index].classList.remove("is-chosen");
    mark(picked.columns, false);
    picked.card.classList.remove("is-picked");
    picked.button.setAttribute("aria-pressed", "false");
    if (announce) { say(live.dataset.cancelled, { client: picked.card.dataset.client }); }
    picked = null;
  };
  var pickUp = function (card, button) {
    var columns = columnsFor(card);
    if (!columns.length) { return; }
    putBack(false);
    var forward = offered(card)[0];  // the form offers the next step of the cycle first
    picked = { card: card, button: button, columns: columns, index: 0 };
    card.classList.add("is-picked");
    button.setAttribute("aria-pressed", "true");
    mark(columns, true);
    choose(Math.max(0, columns.findIndex(function (column) { return column.dataset.stage === forward; })));
    say(live.dataset.picked, { client: card.dataset.client, stage: stageName(columns[picked.index]) });
  };
  board.addEventListener("click", function (event) {
    var button = event.target.closest(".board-pick");
    if (!button) { return; }
    var card = button.closest(".engagement-card");
    if (picked && picked.card === card) {
      var column = picked.columns[picked.index];
      putBack(false);
      send(card, column);
    } else {
      pickUp(card, button);
    }
  });
  board.addEventListener("keydown", function (event) {
    if (!picked || event.target !== picked.button) { return; }
    var steps = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (document.documentElement.dir === "rtl") { steps.ArrowRight = -1; steps.ArrowLeft = 1; }
    if (event.key in steps) {
      event.preventDefault();
      choose(picked.index + steps[event.key]);
      say(live.dataset.over, { stage: stageName(picked.columns[picked.index]) });
    } else if (event.key === "Escape") {
      event.preventDefault();
      putBack(true);
    }
  });
  board.addEventListener("focusout", function (event) {
    if (picked && event.target === picked.button) { putBack(true); }
  });
  if (help) { help.hidden = false; }
})();
