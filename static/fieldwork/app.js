// Fieldwork: the little that htmx attributes cannot do. No inline scripts anywhere.
(function () {
  "use strict";

  function initPickers(root) {
    if (typeof TomSelect === "undefined") return;
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
    root.querySelectorAll("select[data-user-picker]").forEach(function (select) {
      if (!select.tomselect) new TomSelect(select, { plugins: ["remove_button"], maxOptions: 50 });
    });
  }

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

  document.addEventListener("DOMContentLoaded", function () {
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
