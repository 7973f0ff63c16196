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

// ------------------------------------------------------------ writes: reviews, article fixes, ingest
// The token goes only in the Authorization header of a request this script makes (never a cookie):
// another site cannot send that header here, so it cannot make a write (CSRF).
function sendWrite(path, token, body, out, onDone) {
  out.textContent = "sending...";
  out.dataset.status = "";
  var headers = {"Authorization": "Bearer " + token, "Accept": "application/json"};
  if (!(body instanceof FormData)) { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
  fetch(path, {method: "POST", headers: headers, body: body, credentials: "omit"})
    .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
    .then(function (res) {
      var status = res[0], j = res[1];
      out.dataset.status = String(status);
      if (status >= 300) { out.textContent = "refused (" + status + "): " + (j.error ? j.error.message : ""); return; }
      onDone(j);
    })
    .catch(function (err) { out.textContent = "failed: " + err; out.dataset.status = "error"; });
}

function doneLink(out, text, href) {
  out.textContent = text + " ";
  var a = document.createElement("a");
  a.href = href;
  a.textContent = "reload";
  out.appendChild(a);
}

function reviewForms() {
  document.querySelectorAll("form.review-form").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var action = (e.submitter && e.submitter.value) || "reviewed";
      var out = form.querySelector(".review-result");
      sendWrite("/stories/" + encodeURIComponent(form.dataset.story) + "/reviews", form.elements.token.value,
        {fact: form.dataset.fact, note: form.elements.note.value, by: form.elements.by.value, action: action}, out,
        function (j) {
          out.textContent = "";
          var box = document.getElementById("review-" + form.dataset.fact);
          box.dataset.state = j.review.action;
          var state = box.querySelector(".badge.reviewed, .muted");
          var line = document.createElement("span");
          line.className = "review-done";
          line.textContent = j.review.action + " by " + j.review.who + " " + j.review.created_at +
            (j.review.note ? ": " + j.review.note : "");
          if (state) { state.replaceWith(line); } else { box.insertBefore(line, form); }
        });
    });
  });
}

function articleFix() {
  var form = document.getElementById("article-fix-form");
  if (!form) { return; }
  var out = document.getElementById("article-fix-result");
  function send(body) {
    body.by = form.elements.by.value;
    sendWrite("/articles/" + encodeURIComponent(form.dataset.article) + "/corrections", form.elements.token.value,
      body, out, function (j) {
        var changed = Object.keys(j.changed);
        out.dataset.changed = changed.join(",");
        doneLink(out, changed.length ? "fixed: " + changed.map(function (f) {
          return f + " " + j.changed[f].old + " \u2192 " + j.changed[f]["new"]; }).join("; ") +
          (j.stories.length ? " (stories checked again: " + j.stories.join(", ") + ")" : "") :
          "nothing changed (it already has those values)", window.location.pathname);
      });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var body = {};
    if (form.elements.outlet.value.trim()) { body.outlet = form.elements.outlet.value; }
    if (form.elements.published.value.trim()) { body.published = form.elements.published.value; }
    send(body);
  });
  document.querySelectorAll("button.revert").forEach(function (b) {
    b.addEventListener("click", function () {
      if (!form.elements.token.value) { out.textContent = "give the token first"; return; }
      var body = {};
      body[b.dataset.field] = b.dataset.value;
      send(body);
    });
  });
}

function ingestForm() {
  var form = document.getElementById("ingest-form");
  if (!form) { return; }
  var out = document.getElementById("ingest-result");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var data = new FormData();
    Array.prototype.forEach.call(form.elements.files.files, function (f) { data.append("files", f, f.name); });
    data.append("urls", form.elements.urls.value);
    data.append("by", form.elements.by.value);
    sendWrite("/ingest", form.elements.token.value, data, out, function (j) {
      out.textContent = "queued: ";
      var a = document.createElement("a");
      a.href = j.url;
      a.id = "job-link";
      a.textContent = "job " + j.job.id;
      out.appendChild(a);
    });
  });
}

function jobProgress() {
  var box = document.getElementById("job");
  if (!box || (box.dataset.state !== "queued" && box.dataset.state !== "running")) { return; }
  var timer = setInterval(function () {
    fetch("/ingest/jobs/" + encodeURIComponent(box.dataset.id) + ".json", {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (j.state !== "queued" && j.state !== "running") { clearInterval(timer); window.location.reload(); return; }
        document.getElementById("job-state").textContent = j.state;
        document.getElementById("job-phase").textContent = j.phase + " (" + j.done + (j.total ? " of " + j.total : "") + ")";
      })
      .catch(function () { clearInterval(timer); });
  }, 1000);
}

// ------------------------------------------------------------ live: the stories and alerts pages follow the store
function livePage() {
  var live = document.getElementById("live");
  if (!live) { return; }
  var parts = (live.dataset.parts || "").split(/\s+/).filter(Boolean);
  var counted = document.getElementById("stories") ? "li.story-item" : "li.alert-item";
  var noun = counted === "li.story-item" ? " stories" : " alerts";
  var busy = false;
  function count() { return document.querySelectorAll(counted).length; }
  setInterval(function () {
    if (busy) { return; }
    busy = true;
    fetch("/changes.json", {headers: {"Accept": "application/json"}, cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (c) {
        if (c.version === live.dataset.version) { busy = false; return; }
        // the same page again, parsed (never run: a parsed document's scripts do not execute)
        return fetch(window.location.href, {headers: {"Accept": "text/html"}, cache: "no-store"})
          .then(function (r) { return r.text(); })
          .then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var before = count();
            parts.forEach(function (id) {
              var now = document.getElementById(id), fresh = doc.getElementById(id);
              if (now && fresh) { now.replaceWith(document.adoptNode(fresh)); }
            });
            var fresh = doc.getElementById("live");
            live.dataset.version = fresh ? fresh.dataset.version : c.version;
            var after = count();
            live.classList.add("updated");
            live.textContent = "Live: updated " + new Date().toLocaleTimeString() +
              (after !== before ? " (" + before + noun + " on this page before, " + after + " now)" : "");
            document.dispatchEvent(new CustomEvent(counted === "li.story-item" ? "crosswire:stories-updated"
              : "crosswire:alerts-updated"));
            busy = false;
          });
      })
      .catch(function () { busy = false; });
  }, Number(live.dataset.poll) || 3000);
}

// ------------------------------------------------------------ the stories: a map of the filtered list, offline
function drawStoriesMap() {
  var box = document.getElementById("stories-map");
  if (!box || typeof L === "undefined") { return; }
  fetch(box.dataset.map, {headers: {"Accept": "application/json"}})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var note = document.createElement("p");
      note.className = "muted map-note";
      note.textContent = data.stories_mapped + " of " + data.stories + " stories on the map" +
        (data.stories_listed < data.stories ? " (the first " + data.stories_listed + ")" : "") + " · " + data.note;
      box.insertAdjacentElement("afterend", note);
      if (!data.bbox) { box.textContent = data.note; box.dataset.drawn = "0"; return; }
      var map = L.map(box, {zoomSnap: 0.25, attributionControl: false});
      var b = data.bbox;
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
      L.geoJSON(data.countries, {style: {color: "#9a9386", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1},
        interactive: false}).addTo(map);
      var n = 0, stories = {};
      data.places.features.forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties;
        var dot = L.circleMarker([c[1], c[0]], {radius: 6, color: "#fff", weight: 1.5, fillColor: "#c62828",
          fillOpacity: 0.9, className: "story-point"});
        dot.bindTooltip(textNode(p.name + ": " + p.title));
        dot.on("click", function () { window.location.href = "/stories/" + encodeURIComponent(p.story); });
        dot.addTo(map);
        stories[p.story] = true;
        n += 1;
      });
      box.dataset.drawn = String(n);
      box.dataset.stories = Object.keys(stories).sort().join(" ");
    })
    .catch(function (err) { box.textContent = "The map could not be drawn: " + err; box.dataset.drawn = "error"; });
}

// ------------------------------------------------------------ the stories: a timeline (SVG) of the filtered list
var SVG_NS = "http://www.w3.org/2000/svg";

function svg(name, attrs) {
  var el = document.createElementNS(SVG_NS, name);
  Object.keys(attrs).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
  return el;
}

function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / 86400000); }
function isoDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

// The bins of a span of days: days up to three months, weeks up to two years, months beyond.
function timelineBins(first, last) {
  var span = last - first + 1, bins = [], d;
  if (span <= 92) {
    for (d = first; d <= last; d += 1) { bins.push({start: d, end: d, label: isoDay(d)}); }
    return bins;
  }
  if (span <= 731) {
    for (d = first; d <= last; d += 7) { bins.push({start: d, end: Math.min(d + 6, last), label: "week of " + isoDay(d)}); }
    return bins;
  }
  var t = new Date(first * 86400000), y = t.getUTCFullYear(), m = t.getUTCMonth();
  while (true) {
    var start = Math.round(Date.UTC(y, m, 1) / 86400000);
    if (start > last) { break; }
    var end = Math.round(Date.UTC(y, m + 1, 1) / 86400000) - 1;
    bins.push({start: Math.max(start, first), end: Math.min(end, last), label: isoDay(start).slice(0, 7)});
    m += 1;
    if (m === 12) { m = 0; y += 1; }
  }
  return bins;
}

function drawTimeline() {
  var box = document.getElementById("stories-timeline");
  if (!box) { return; }
  fetch(box.dataset.timeline, {headers: {"Accept": "application/json"}})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      if (!data.days.length) {
        var empty = document.createElement("p");
        empty.className = "muted";
        empty.textContent = data.total ? data.total + " undated stories: no timeline" : "No story to draw.";
        box.appendChild(empty);
        box.dataset.bars = "0";
        return;
      }
      var bins = timelineBins(dayNumber(data.first), dayNumber(data.last));
      bins.forEach(function (b) { b.stories = 0; });
      var i = 0;
      data.days.forEach(function (d) {
        var n = dayNumber(d.day);
        while (bins[i].end < n) { i += 1; }
        bins[i].stories += d.stories;
      });
      var most = Math.max.apply(null, bins.map(function (b) { return b.stories; }));
      var W = Math.max(240, Math.round(box.clientWidth) - 20), H = 160, top = 18, bottom = 22, w = W / bins.length;
      var chart = svg("svg", {viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "class": "timeline-chart"});
      var title = svg("title", {});
      title.textContent = data.total + " stories from " + data.first + " to " + data.last;
      chart.appendChild(title);
      var bars = 0;
      bins.forEach(function (b, k) {
        if (!b.stories) { return; }
        var h = Math.max(2, (H - top - bottom) * b.stories / most);
        var filters = box.dataset.filters ? box.dataset.filters + "&" : "";
        var link = svg("a", {href: "/stories?" + filters + "since=" + isoDay(b.start) + "&until=" + isoDay(b.end)});
        var bar = svg("rect", {x: k * w + w * 0.1, y: H - bottom - h, width: Math.max(1, w * 0.8), height: h,
          "class": "bar", "data-day": isoDay(b.start), "data-stories": b.stories});
        var tip = svg("title", {});
        tip.textContent = b.label + ": " + b.stories + (b.stories === 1 ? " story" : " stories");
        bar.appendChild(tip);
        link.appendChild(bar);
        chart.appendChild(link);
        bars += 1;
      });
      [[0, "start", data.first], [W, "end", data.last]].forEach(function (a) {
        var t = svg("text", {x: a[0], y: H - 6, "text-anchor": a[1], "class": "axis"});
        t.textContent = a[2];
        chart.appendChild(t);
      });
      var peak = svg("text", {x: 0, y: 10, "class": "axis"});
      peak.textContent = "most on one " + (bins[0].start === bins[0].end ? "day" : "bar") + ": " + most;
      chart.appendChild(peak);
      box.insertBefore(chart, box.firstChild);
      box.dataset.bars = String(bars);
      box.dataset.stories = String(data.total - data.undated);
      if (data.undated) {
        var u = document.createElement("p");
        u.className = "muted";
        u.textContent = data.undated + " undated " + (data.undated === 1 ? "story" : "stories") + " not drawn";
        box.appendChild(u);
      }
    })
    .catch(function (err) { box.textContent = "The timeline could not be drawn: " + err; box.dataset.bars = "error"; });
}

document.addEventListener("DOMContentLoaded", function () {
  markTarget();
  window.addEventListener("hashchange", markTarget);
  drawMap();
  drawStoriesMap();
  drawTimeline();
  corrections();
  reviewForms();
  articleFix();
  ingestForm();
  jobProgress();
  livePage();
});
