/* The few things the search page does beyond htmx. Everything here is an enhancement: without
   JavaScript every control is a plain link or form and the page works the same.
   - a box inside long facets finds values (Arabic-aware: hamza forms, taa marbuta, alef
     maqsura, diacritics and tatweel are ignored; Arabic-Indic digits match Western ones);
   - on a phone the filters fold into one button, and stay as the reader left them;
   - keyboard focus is never lost when htmx replaces the results;
   - "/" jumps to the search box. */
(function () {
  "use strict";

  var PHONE = "(max-width: 760px)";

  function fold(text) {
    return (text || "")
      .normalize("NFKC")
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A")
      .replace(/\u0629/g, "\u0647")
      .replace(/\u0624/g, "\u0648")
      .replace(/\u0626/g, "\u064A")
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  function filterFacet(input) {
    var facet = input.closest(".facet");
    if (!facet) return;
    var wanted = fold(input.value);
    var more = facet.querySelector(".facet-more");
    var shown = 0;
    facet.querySelectorAll(".facet-item").forEach(function (item) {
      var label = item.querySelector(".label");
      var match = !wanted || fold(label ? label.textContent : "").indexOf(wanted) !== -1;
      item.hidden = !match;
      if (match) shown += 1;
    });
    if (more) {
      if (wanted) {
        if (!more.dataset.wasOpen) more.dataset.wasOpen = more.open ? "1" : "0";
        more.open = true;
        more.classList.add("filtering");
      } else {
        more.open = more.dataset.wasOpen === "1";
        delete more.dataset.wasOpen;
        more.classList.remove("filtering");
      }
    }
    var empty = facet.querySelector(".facet-empty");
    if (empty) empty.hidden = shown > 0;
  }

  function enhance(root) {
    root.querySelectorAll(".facet-filter[hidden]").forEach(function (box) {
      box.hidden = false;
    });
  }

  function panel() { return document.querySelector(".filters-panel"); }

  var panelOpen = null;  // the reader's choice, kept across swaps
  var focusHeading = false;

  function foldPanelOnPhone() {
    var p = panel();
    if (p && window.matchMedia(PHONE).matches) p.open = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    foldPanelOnPhone();
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-facet-filter]")) {
      filterFacet(event.target);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-facet-filter]")) {
      if (event.key === "Enter") {
        var first = target.closest(".facet").querySelector(".facet-item:not([hidden]) a");
        if (first) { event.preventDefault(); first.click(); }
      } else if (event.key === "Escape" && target.value) {
        event.preventDefault();
        target.value = "";
        filterFacet(target);
      }
      return;
    }
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
      var box = document.getElementById("q");
      if (!typing && box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    }
  });

  document.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("filters-panel")) {
      panelOpen = event.target.open;
    }
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    focusHeading = Boolean(elt && elt.closest && elt.closest(".pagination"));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "results") return;
    enhance(target);
    var p = panel();
    if (p && panelOpen !== null && window.matchMedia(PHONE).matches) p.open = panelOpen;
    var heading = document.getElementById("results-heading");
    var active = document.activeElement;
    if (heading && (focusHeading || !active || active === document.body)) {
      heading.focus({ preventScroll: !focusHeading });
      if (focusHeading) heading.scrollIntoView({ block: "start" });
    }
    focusHeading = false;
  });

  document.addEventListener("htmx:historyRestore", function () {
    enhance(document);
    foldPanelOnPhone();
    panelOpen = null;
  });
})();
