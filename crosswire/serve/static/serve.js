// crosswire serve: the pages' only script (the Content-Security-Policy allows no inline script).
// Text from articles is only ever set with textContent, never as HTML.
"use strict";

// ------------------------------------------------------------ an article: land on a span
function markTarget() {
  document.querySelectorAll(".target").forEach(function (el) { el.classList.remove("target"); });
  var m = /^#([bt])-(\d+)-(\d+)$/.exec(window.location.hash);
  if (!m) { return; }
  var box = document.querySelector('[data-in="' + m[1] + '"]');
  if (!box) { return; }
  var start = Number(m[2]), end = Number(m[3]), first = null;
  box.querySelectorAll("[data-start]").forEach(function (el) {
    var s = Number(el.dataset.start), e = Number(el.dataset.end);
    if (s >= start && e <= end && e > s) {
      el.classList.add("target");
      if (!first) { first = el; }
    }
  });
  if (first) { first.scrollIntoView({block: "center"}); }
}

// ------------------------------------------------------------ a story: the map, offline
function drawMap() {
  var box = document.getElementById("map");
  if (!box || typeof L === "undefined") { return; }
  fetch(box.dataset.map, {headers: {"Accept": "application/json"}})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      if (!data.bbox) { box.textContent = data.note; box.dataset.drawn = "0"; return; }
      var map = L.map(box, {zoomSnap: 0.25, attributionControl: false});
      var note = document.createElement("p");
      note.className = "muted";
      note.textContent = data.note;
      box.insertAdjacentElement("afterend", note);
      var b = data.bbox;
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);  // a view first: vector layers need one
      L.geoJSON(data.countries, {style: {color: "#9a9386", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1},
        onEachFeature: function (f, layer) { layer.bindTooltip(textNode(f.properties.name)); }}).addTo(map);
      var n = 0;
      data.places.features.forEach(function (f) {
        var c = f.geometry.coordinates, ev = f.properties.event;
        var dot = L.circleMarker([c[1], c[0]], {radius: ev ? 7 : 5, color: "#fff", weight: 1.5,
          fillColor: ev ? "#c62828" : "#37474f", fillOpacity: 1});
        dot.bindTooltip(textNode(f.properties.name + (ev ? " (event)" : "")), {permanent: ev});
        dot.addTo(map);
        n += 1;
      });
      box.dataset.drawn = String(n);
      box.dataset.countries = String(data.countries.features.length);
    })
    .catch(function (err) { box.textContent = "The map could not be drawn: " + err; box.dataset.drawn = "error"; });
}

function textNode(text) {
  var span = document.createElement("span");
  span.textContent = text;
  return span;
}

// ------------------------------------------------------------ a story: corrections with the token
function post(form, path, body) {
  var out = document.getElementById("correction-result");
  var token = form.elements.token.value;
  out.textContent = "sending...";
  fetch(path, {method: "POST", headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json",
    "Accept": "application/json"}, body: JSON.stringify(body)})
    .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
    .then(function (res) {
      var status = res[0], j = res[1];
      if (status !== 200) { out.textContent = "refused (" + status + "): " + (j.error ? j.error.message : ""); out.dataset.status = String(status); return; }
      out.dataset.status = "200";
      out.textContent = "done: ";
      var a = document.createElement("a");
      a.href = "/stories/" + encodeURIComponent(j.new || j.story);
      a.textContent = "open story " + (j.new || j.story);
      out.appendChild(a);
    })
    .catch(function (err) { out.textContent = "failed: " + err; });
}

function corrections() {
  var merge = document.getElementById("merge-form");
  if (merge) {
    merge.addEventListener("submit", function (e) {
      e.preventDefault();
      post(merge, "/stories/" + encodeURIComponent(merge.dataset.story) + "/merge", {other: merge.elements.other.value});
    });
  }
  var split = document.getElementById("split-form");
  if (split) {
    split.addEventListener("submit", function (e) {
      e.preventDefault();
      var ids = Array.prototype.map.call(split.querySelectorAll('input[name="articles"]:checked'), function (c) { return c.value; });
      post(split, "/stories/" + encodeURIComponent(split.dataset.story) + "/split", {articles: ids});
    });
  }
}

document.addEventListener("DOMContentLoaded", function () {
  markTarget();
  window.addEventListener("hashchange", markTarget);
  drawMap();
  corrections();
});
