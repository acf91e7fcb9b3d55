// Progressive enhancement of a task's form; without this script the form works as the server
// renders it ("Ajouter une ligne" reloads the page, the server counts the roster's ticks).
// 1. Table rows added and removed in the page.
// 2. The task's draft saved on the server as one types (the form's own button saves it without
//    this script): another browser, another computer or a colleague taking over finds it.
// 3. The assembly's roster: counts, quorum and proxies checked as one ticks; a proxy is held by a
//    member present, one each. The server and the process's rules still decide on submission.
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\d)\}/g, function (_, i) { return values[Number(i) - 1]; });
  }

  // --- 1. table rows --------------------------------------------------------------------------
  function rowIndex(row, name) {
    var found = -1;
    row.querySelectorAll("[name^='" + name + "-']").forEach(function (input) {
      var index = parseInt(input.name.slice(name.length + 1), 10);
      if (!isNaN(index)) { found = index; }
    });
    return found;
  }

  function dataRows(tbody) {
    return Array.prototype.filter.call(tbody.rows, function (row) { return !row.querySelector("td[colspan]"); });
  }

  function clear(row) {
    row.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") { input.checked = false; }
      else if (input.tagName === "SELECT") { input.selectedIndex = 0; }
      else { input.value = ""; }
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    row.querySelectorAll(".field-error").forEach(function (error) { error.remove(); });
    row.querySelectorAll(".has-error").forEach(function (cell) { cell.classList.remove("has-error"); });
  }

  function addRemoveButton(row, name, label) {
    var cell = document.createElement("td");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary remove-row";
    button.textContent = label;
    button.addEventListener("click", function () {
      var tbody = row.parentNode;
      var next = row.nextElementSibling;
      if (next && next.querySelector("td[colspan]")) { next.remove(); }
      if (dataRows(tbody).length > 1) { row.remove(); } else { clear(row); }
    });
    cell.appendChild(button);
    row.appendChild(cell);
  }

  document.querySelectorAll("button[name='_add_row']").forEach(function (add) {
    var name = add.value;
    var table = add.parentNode.querySelector("table.rows");
    if (!table) { return; }
    var removeLabel = (add.form && add.form.dataset.removeLabel) || "Retirer";
    var header = table.tHead && table.tHead.rows[0];
    if (header) {   // a header for the buttons' column, read by screen readers only
      var th = document.createElement("th");
      th.scope = "col";
      th.innerHTML = '<span class="visually-hidden"></span>';
      th.firstChild.textContent = removeLabel;
      header.appendChild(th);
    }
    dataRows(table.tBodies[0]).forEach(function (row) { addRemoveButton(row, name, removeLabel); });
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var rows = dataRows(table.tBodies[0]);
      var last = rows[rows.length - 1];
      var next = Math.max.apply(null, rows.map(function (row) { return rowIndex(row, name); })) + 1;
      var copy = last.cloneNode(true);
      copy.lastElementChild.remove();   // the remove button, bound to the copied row
      var from = name + "-" + rowIndex(last, name) + "-";
      copy.querySelectorAll("[name], [id]").forEach(function (input) {
        ["name", "id"].forEach(function (attribute) {
          var value = input.getAttribute(attribute);
          if (value) { input.setAttribute(attribute, value.replace(from, name + "-" + next + "-")); }
        });
      });
      clear(copy);
      table.tBodies[0].appendChild(copy);
      addRemoveButton(copy, name, removeLabel);
      var first = copy.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  });

  // --- 2. the draft ----------------------------------------------------------------------------
  var DRAFT_DELAY = 1500;   // milliseconds after the last keystroke or tick

  function keepDraft(form, box) {
    var status = document.getElementById("draft-status");
    var discard = document.getElementById("draft-discard");
    var token = form.querySelector("input[name='csrf_token']");
    var timer = null, sending = false, again = false;

    function saved(ok, body) {
      status.textContent = ok ? body.message : format(box.dataset.msgFailed, [body.message]);
      if (ok && discard) { discard.hidden = false; }
    }

    function save() {
      if (sending) { again = true; return; }
      sending = true;
      fetch(box.dataset.saveUrl, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        return response.json().then(function (body) { saved(response.ok, body); });
      }).catch(function () {
        saved(false, { message: box.dataset.msgOffline });
      }).then(function () {
        sending = false;
        if (again) { again = false; save(); }
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DRAFT_DELAY);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("click", function (event) {   // a row removed in the page
      if (event.target.classList && event.target.classList.contains("remove-row")) { later(); }
    });
    form.addEventListener("submit", function () { window.clearTimeout(timer); });
  }

  var draftBox = document.getElementById("draft");
  var taskForm = draftBox && draftBox.closest("form");
  if (taskForm && window.fetch && window.FormData && !draftBox.closest("fieldset[disabled]")) {
    keepDraft(taskForm, draftBox);
  }

  // --- 3. the roster ----------------------------------------------------------------------------
  var roster = document.getElementById("roster");
  if (!roster) { return; }
  var messages = roster.dataset;
  var rows = Array.prototype.slice.call(roster.querySelectorAll("tr[data-member]"));
  var quorum = parseInt(roster.dataset.quorum, 10);

  function choiceOf(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    return checked ? checked.value : null;
  }

  function setCount(name, number) {   // the sitting's own fields, filled as one ticks
    var input = document.getElementById("f-" + name);
    if (input) { input.value = String(number); }
  }

  function update() {
    var counts = { present: 0, represented: 0, absent: 0, unticked: 0 };
    var present = {};
    rows.forEach(function (row) {
      var choice = choiceOf(row);
      counts[choice || "unticked"] += 1;
      if (choice === "present") { present[row.dataset.member] = row.dataset.name; }
    });
    var problems = [], held = {};
    rows.forEach(function (row) {
      var select = row.querySelector("select");
      var represented = choiceOf(row) === "represented";
      select.disabled = !represented;
      Array.prototype.forEach.call(select.options, function (option) {
        var offered = option.value === "" || present.hasOwnProperty(option.value);
        option.hidden = !offered;
        option.disabled = !offered;
      });
      if (!represented) { return; }
      if (!select.value) {
        problems.push(format(messages.msgNoHolder, [row.dataset.name]));
      } else if (!present.hasOwnProperty(select.value)) {
        problems.push(format(messages.msgHolderAbsent, [row.dataset.name, select.options[select.selectedIndex].text]));
      } else {
        held[select.value] = (held[select.value] || 0) + 1;
      }
    });
    Object.keys(held).forEach(function (holder) {
      if (held[holder] > 1) { problems.push(format(messages.msgTwoProxies, [present[holder], held[holder]])); }
    });
    if (roster.dataset.mode === "lists") {
      [["present", "expectedPresents", messages.msgPresents], ["represented", "expectedProcurations", messages.msgProxies],
       ["absent", "expectedAbsents", messages.msgAbsents]].forEach(function (check) {
        var expected = roster.dataset[check[1]];
        if (expected !== undefined && counts.unticked === 0 && counts[check[0]] !== parseInt(expected, 10)) {
          problems.push(format(check[2], [counts[check[0]], expected]));
        }
      });
    } else if (counts.unticked < rows.length) {   // the counts typed by hand stay until one ticks
      setCount("membres_en_exercice", rows.length);
      setCount("presents", counts.present);
      setCount("procurations", counts.represented);
      setCount("absents", counts.absent);
    }
    Object.keys(counts).forEach(function (name) {
      roster.querySelector("[data-count='" + name + "']").textContent = String(counts[name]);
    });
    var state = roster.querySelector("[data-quorum-state]");
    state.textContent = counts.present >= quorum ? messages.msgQuorumReached : messages.msgQuorumMissed;
    state.className = counts.present >= quorum ? "quorum-reached" : "quorum-missed";
    var list = document.getElementById("roster-problems");
    list.textContent = "";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem;
      list.appendChild(item);
    });
  }

  roster.addEventListener("change", update);
  update();
})();

// 3. The rules the process's checks will apply (the fields' hints of class "rule": the ANCT's
//    thresholds, the votes the sitting allows), checked as one types; the process still decides.
(function () {
  "use strict";
  var inputs = Array.prototype.slice.call(document.querySelectorAll("input[data-rule-min], input[data-rule-max]"));
  if (!inputs.length) { return; }

  function format(template, values) {
    return template.replace(/\{(\d)\}/g, function (_, i) { return values[Number(i) - 1]; });
  }

  function typed(input) {   // a number as people write it: « 12 000,50 € », « 50 % »
    var cleaned = input.value.replace(/[\s\u00a0\u2007\u2009\u202f]/g, "").replace(/(€|EUR|%)$/i, "").replace(",", ".");
    var number = cleaned === "" ? NaN : Number(cleaned);
    return isFinite(number) ? number : null;
  }

  function shown(number) { return number.toLocaleString("fr-FR"); }

  function message(input) {
    var live = document.getElementById(input.id + "-live");
    var min = input.dataset.ruleMin, max = input.dataset.ruleMax, group = input.dataset.ruleSum;
    var value = typed(input);
    if (value === null) { return ""; }
    if (group) {   // several fields share one bound (pour + contre + abstentions)
      var total = 0;
      inputs.forEach(function (other) { if (other.dataset.ruleSum === group) { total += typed(other) || 0; } });
      return max !== undefined && total > Number(max) ? format(live.dataset.msgSum, [shown(total), shown(Number(max))]) : "";
    }
    if (min !== undefined && value < Number(min)) { return format(live.dataset.msgBelow, [input.value.trim(), shown(Number(min))]); }
    if (max !== undefined && value > Number(max)) { return format(live.dataset.msgAbove, [input.value.trim(), shown(Number(max))]); }
    return "";
  }

  function check(input) {
    var live = document.getElementById(input.id + "-live");
    if (live) { live.textContent = message(input); }
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", function () {
      inputs.forEach(function (other) {
        if (other === input || (input.dataset.ruleSum && other.dataset.ruleSum === input.dataset.ruleSum)) { check(other); }
      });
    });
  });
})();
