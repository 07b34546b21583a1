// Keyboard shortcuts for the inbox (see keys.rs). Only an improvement:
// every page works the same without it, through its links and forms.
(function () {
  "use strict";

  var list = document.getElementById("approvals");
  var approve = document.getElementById("approve");
  var skip = document.getElementById("skip");
  var edit = document.getElementById("edit");
  var next = document.getElementById("next");
  var prev = document.getElementById("prev");
  var onList = list !== null;
  var onGate = approve !== null || skip !== null || edit !== null;
  // Other pages have nothing to press.
  if (!onList && !onGate) return;

  // The keys this page answers, as the help shows them.
  var keys = [];
  if (onList) {
    keys.push(["j", "Next item"], ["k", "Previous item"], [["o", "Enter"], "Open the item"]);
  }
  if (onGate) {
    if (next !== null || prev !== null) {
      keys.push(["j", "Next waiting item"], ["k", "Previous waiting item"]);
    }
    if (approve !== null) keys.push(["a", "Approve"]);
    if (edit !== null) keys.push(["e", "Edit the draft"]);
    if (skip !== null) keys.push(["s", "Skip"]);
  }
  keys.push(["?", "Show these shortcuts"], ["Esc", "Close this help"]);

  // Single-key shortcuts can be turned off (WCAG 2.1.4), remembered in
  // this browser.
  var STORE = "baton.keys";
  function enabled() {
    try {
      return window.localStorage.getItem(STORE) !== "off";
    } catch (e) {
      return true;
    }
  }
  function setEnabled(on) {
    try {
      if (on) window.localStorage.removeItem(STORE);
      else window.localStorage.setItem(STORE, "off");
    } catch (e) {
      // Storage refused (private mode): the choice lasts for this page.
    }
    off = !on;
  }
  var off = !enabled();

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  // The list: j/k move a visible mark (and the focus) between items.
  function items() {
    return list ? Array.prototype.slice.call(list.querySelectorAll(".item")) : [];
  }

  function currentIndex(all) {
    for (var i = 0; i < all.length; i++) {
      if (all[i].classList.contains("current") || all[i].contains(document.activeElement)) {
        return i;
      }
    }
    return -1;
  }

  function move(step) {
    var all = items();
    if (all.length === 0) return false;
    var at = currentIndex(all);
    var to = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.max(0, Math.min(all.length - 1, at + step));
    all.forEach(function (el, i) {
      el.classList.toggle("current", i === to);
    });
    var link = all[to].querySelector("a.open");
    if (link) link.focus();
    all[to].scrollIntoView({ block: "nearest" });
    return true;
  }

  function openCurrent() {
    var all = items();
    var at = currentIndex(all);
    var link = at < 0 ? null : all[at].querySelector("a.open");
    if (!link) return false;
    link.click();
    return true;
  }

  // The help: a modal dialog listing the keys, closed by its button or Esc.
  var help = null;
  function showHelp() {
    if (help === null) {
      help = document.createElement("dialog");
      help.id = "keys-help";
      help.setAttribute("aria-labelledby", "keys-help-title");
      var title = document.createElement("h2");
      title.id = "keys-help-title";
      title.textContent = "Keyboard shortcuts";
      help.appendChild(title);
      var dl = document.createElement("dl");
      keys.forEach(function (k) {
        var dt = document.createElement("dt");
        [].concat(k[0]).forEach(function (name, i) {
          if (i > 0) dt.appendChild(document.createTextNode(" or "));
          var kbd = document.createElement("kbd");
          kbd.textContent = name;
          dt.appendChild(kbd);
        });
        var dd = document.createElement("dd");
        dd.textContent = k[1];
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      help.appendChild(dl);
      var toggle = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.id = "keys-off";
      box.checked = off;
      box.addEventListener("change", function () {
        setEnabled(!box.checked);
      });
      toggle.appendChild(box);
      toggle.appendChild(document.createTextNode(" Turn off single-key shortcuts"));
      help.appendChild(toggle);
      var close = document.createElement("button");
      close.type = "button";
      close.id = "keys-help-close";
      close.textContent = "Close";
      close.addEventListener("click", function () {
        help.close();
      });
      help.appendChild(close);
      document.body.appendChild(help);
    }
    if (!help.open) help.showModal();
    return true;
  }

  function openEdit() {
    if (edit === null) return false;
    edit.open = true;
    var field =
      edit.querySelector("#body") ||
      edit.querySelector("input:not([type=hidden]), textarea, select");
    if (field) field.focus();
    return true;
  }

  function press(el) {
    if (el === null || el.disabled) return false;
    el.click();
    return true;
  }

  function act(key) {
    if (key === "?") return showHelp();
    if (onList) {
      if (key === "j") return move(1);
      if (key === "k") return move(-1);
      if (key === "o" || key === "Enter") return openCurrent();
    }
    if (onGate) {
      if (key === "a") return press(approve);
      if (key === "e") return openEdit();
      if (key === "s") return press(skip);
      if (key === "j") return press(next);
      if (key === "k") return press(prev);
    }
    return false;
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (typing(e.target)) return;
    // While the help is open, only it answers (Esc closes it natively).
    if (help !== null && help.open) return;
    if (off) return;
    // Enter on a focused link or button already does what it says.
    if (e.key === "Enter" && e.target !== document.body && e.target !== document.documentElement) return;
    if (act(e.key)) e.preventDefault();
  });

  // Tell the reader the keys exist, only where they work (with the script);
  // the button opens the help even with the keys turned off.
  var hint = document.createElement("p");
  hint.className = "muted keys-hint";
  var open = document.createElement("button");
  open.type = "button";
  open.id = "keys-open";
  open.textContent = "Keyboard shortcuts (?)";
  open.addEventListener("click", showHelp);
  hint.appendChild(open);
  var main = document.querySelector("main") || document.body;
  main.appendChild(hint);
})();
