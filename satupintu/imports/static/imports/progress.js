// Polls the batch's status while it runs and updates the progress bar; reloads when it settles.
(function () {
  var box = document.getElementById("batch-progress");
  if (!box || box.dataset.final === "1") return;
  var bar = box.querySelector("[data-role=bar]");
  var state = box.querySelector("[data-role=state]");
  var count = box.querySelector("[data-role=count]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        state.textContent = s.state_label;
        count.textContent = s.done + " / " + s.total;
        if (s.final) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
