// Fieldwork: the little that htmx attributes cannot do. No inline scripts anywhere.
// With JavaScript, Bootstrap opens the phone's menu; app.css opens it by its anchor only without.
document.documentElement.classList.add("js");
(function () {
  "use strict";

  // Tom Select (about 21 KB over the wire) comes only to a page that has a picker: its script and
  // stylesheet are named in a <meta> of base.html and fetched when the first picker appears. Inserted
  // before the load event, they delay it, so a page is whole when "load" fires, as before.
  var pickerAssets = null;

  function loadPickerAssets() {
    if (pickerAssets) return pickerAssets;
    var meta = document.querySelector('meta[name="fw-picker-assets"]');
    var urls = meta ? meta.content.split(" ") : [];
    pickerAssets = new Promise(function (resolve, reject) {
      if (urls.length !== 2) { reject(new Error("no picker assets")); return; }
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = urls[1];
      // before app.css, as it was, so that our rules still come last
      var ours = document.querySelector('link[rel="stylesheet"][href*="/fieldwork/app."]');
      document.head.insertBefore(style, ours);
      var script = document.createElement("script");
      script.src = urls[0];
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return pickerAssets;
  }

  function initPickers(root) {
    if (!root.querySelector("select[data-unit-picker]")) return;
    if (typeof TomSelect === "undefined") {
      // Without it the picker stays a plain select of the person's own units, which still works.
      loadPickerAssets().then(function () { initPickers(root); }, function () {});
      return;
    }
    root.querySelectorAll("select[data-unit-picker]").forEach(function (select) {
      if (select.tomselect) return;
      var url = select.dataset.searchUrl;
      new TomSelect(select, {
        valueField: "value",
        labelField: "text",
        searchField: ["text", "code"],
        maxOptions: 30,
        loadThrottle: 250,
        load: function (query, callback) {
          fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
            .then(function (response) { return response.json(); })
            .then(function (json) { callback(json.results); })
            .catch(function () { callback(); });
        },
      });
    });
  }

  // The people picker (forms/people.py): htmx fetches the matches as one types; this keeps Enter and
  // Find in the box (no form sent), lets the Down arrow reach the list, and moves a person chosen from
  // the matches up among the chosen, so that the next search does not take them away.
  function pickerSearch(picker) {
    var box = picker.querySelector("[data-picker-query]");
    if (box && window.htmx) window.htmx.trigger(box, "picker-search");
  }

  document.addEventListener("keydown", function (event) {
    var box = event.target.closest ? event.target.closest("[data-picker-query]") : null;
    if (!box || !window.htmx) return;
    var picker = box.closest("[data-person-picker]");
    if (event.key === "Enter") {
      event.preventDefault();
      pickerSearch(picker);
    } else if (event.key === "ArrowDown") {
      var first = picker.querySelector("[data-picker-matches] input, [data-picker-chosen] input");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  document.addEventListener("click", function (event) {
    var find = event.target.closest ? event.target.closest("[data-picker-find]") : null;
    if (!find || !window.htmx) return;
    event.preventDefault();
    pickerSearch(find.closest("[data-person-picker]"));
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.closest || !input.closest("[data-picker-matches]") || !input.checked) return;
    var picker = input.closest("[data-person-picker]");
    var chosen = picker.querySelector("[data-picker-chosen]");
    if (input.type === "radio") {
      chosen.querySelectorAll("input[type=radio]").forEach(function (other) {
        if (other.value !== "" && other.value !== "null") other.closest(".form-check").remove();
      });
    }
    var same = chosen.querySelector('input[value="' + input.value + '"]');
    if (same) {
      same.checked = true;
      input.closest(".form-check").remove();
      same.focus();
    } else {
      chosen.appendChild(input.closest(".form-check"));
      input.focus();
    }
  });

  function initAutosubmit(root) {
    root.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function initConfirm(root) {
    root.querySelectorAll("[data-confirm]").forEach(function (element) {
      element.addEventListener("click", function (event) {
        if (!window.confirm(element.dataset.confirm)) event.preventDefault();
      });
    });
  }

  // The phone's menu: its toggler opens and closes the navigation with Bootstrap's classes (show,
  // aria-expanded), without Bootstrap's 23 KB script (a weak signal pays for every byte). Without
  // JavaScript the toggler is a link to #nav that app.css opens; a link followed before this script ran
  // (a tap while the page loads) leaves the menu open.
  function initMenu() {
    document.querySelectorAll('[data-bs-toggle="collapse"]').forEach(function (toggler) {
      var target = document.getElementById(toggler.getAttribute("aria-controls"));
      if (!target) return;
      function show(open) {
        target.classList.toggle("show", open);
        toggler.classList.toggle("collapsed", !open);
        toggler.setAttribute("aria-expanded", open ? "true" : "false");
      }
      toggler.addEventListener("click", function (event) {
        event.preventDefault();
        show(!target.classList.contains("show"));
      });
      show(window.location.hash === "#" + target.id);
    });
  }

  // A field reached with the keyboard is never left behind the phone's sticky save bar: app.css's
  // scroll padding does it for most fields; a tall one (a textarea near the foot) the browser counts as
  // visible while its lower part is behind the bar, so it is scrolled clear here.
  document.addEventListener("focusin", function (event) {
    var bar = document.querySelector(".sticky-actions");
    if (!bar || bar.contains(event.target) || !event.target.getBoundingClientRect) return;
    var barTop = bar.getBoundingClientRect().top;
    var rect = event.target.getBoundingClientRect();
    if (rect.bottom > barTop && rect.top < barTop) window.scrollBy({ top: rect.bottom - barTop + 16, behavior: "instant" });
  });

  document.addEventListener("DOMContentLoaded", function () {
    initMenu();
    initPickers(document);
    initAutosubmit(document);
    initConfirm(document);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      initPickers(event.detail.target.parentNode || document);
      initConfirm(event.detail.target.parentNode || document);
    });
  });
})();

// The public channel: a form sent once (a double tap raises one concern), and the poster's print button.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        // Disabled after the submission has collected the form's data, not before.
        window.setTimeout(function () {
          form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
        }, 0);
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();

// Exports (overdue CSV and XLSX, the ledger): a file that takes a while to prepare says so. The link is
// marked busy with a spinner, the file is fetched and saved under the name the server gives it, and an
// HTTP error is said in the page instead of failing silently. Without JavaScript the link is a plain
// download. Saving through a blob: URL needs no CSP directive (it is a download, not a fetch or a frame).
(function () {
  "use strict";

  function filenameFrom(disposition) {
    var star = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(disposition);
    if (star) {
      try { return decodeURIComponent(star[1].trim()); } catch (error) { /* fall back to filename= */ }
    }
    var plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(disposition);
    return plain ? (plain[1] || plain[2]).trim() : "download";
  }

  function region(attribute, create) {
    var main = document.querySelector("main") || document.body;
    var element = main.querySelector("[" + attribute + "]");
    if (!element && create) {
      element = create();
      element.setAttribute(attribute, "");
      main.insertBefore(element, main.firstChild);
    }
    return element;
  }

  function announce(text) {
    region("data-fw-download-status", function () {
      var status = document.createElement("div");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      return status;
    }).textContent = text;
  }

  function showError(text) {
    var alert = region("data-fw-download-error", function () {
      var element = document.createElement("div");
      element.className = "alert alert-danger";
      element.setAttribute("role", "alert");
      return element;
    });
    alert.textContent = text;
  }

  function clearError() {
    var alert = region("data-fw-download-error");
    if (alert) alert.remove();
  }

  function markBusy(link) {
    var original = Array.prototype.slice.call(link.childNodes);
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-1";
    spinner.setAttribute("aria-hidden", "true");
    var busyText = link.dataset.fwBusy || "…";
    link.replaceChildren(spinner, document.createTextNode(busyText));
    link.setAttribute("aria-busy", "true");
    link.setAttribute("aria-disabled", "true");
    link.classList.add("disabled");
    announce(busyText);
    return function restore() {
      link.replaceChildren.apply(link, original);
      link.removeAttribute("aria-busy");
      link.removeAttribute("aria-disabled");
      link.classList.remove("disabled");
      announce("");
    };
  }

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = filename;
    anchor.hidden = true;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function fetchFile(link) {
    var restore = markBusy(link);
    var failed = link.dataset.fwError || "";
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          showError(failed + " (HTTP " + response.status + ")");
          return;
        }
        var disposition = response.headers.get("Content-Disposition") || "";
        if (!/attachment/i.test(disposition)) {
          // Not a file (say, the sign-in page after the session ended): let the browser show it.
          window.location.assign(link.href);
          return;
        }
        return response.blob().then(function (blob) {
          clearError();
          save(blob, filenameFrom(disposition));
        });
      })
      .catch(function () { showError(failed); })
      .then(restore);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-fw-download]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (!window.fetch || !window.URL || !URL.createObjectURL) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    fetchFile(link);
  });
})();

// A GET form marked data-drop-empty (the concern list's filters) leaves its empty fields out of the
// address: they are disabled while the form is sent, then enabled again. Without JavaScript the
// server redirects to the same clean address (views/concern_lists.py).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-drop-empty]") || event.defaultPrevented) return;
    var emptied = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      var box = field.type === "checkbox" || field.type === "radio";
      if (field.name && !field.disabled && field.value === "" && (!box || field.checked)) {
        field.disabled = true;
        emptied.push(field);
      }
    });
    setTimeout(function () { emptied.forEach(function (field) { field.disabled = false; }); }, 0);
  });
})();
