// The page's state, small DOM helpers and the one way a plot is drawn. The report-*.js files are concatenated,
// in the order Page lists them, inside one function of report.html (one scope: no globals but window.conlimitReport).
// Every plot registers itself in window.conlimitReport.plots[id] = {points, series, drawn} and on its <figure> as
// data-points / data-drawn: the number of data points handed to uPlot (reference lines not counted).
// renderMs: from the start of the page's navigation to the first drawing of its last plot (performance.now())
var R = window.conlimitReport = { kind: null, plots: {}, problems: [], ready: false, expected: 0, drawnCount: 0, renderMs: null };
function allDrawn() {
  if (R.ready && R.drawnCount === R.expected && R.renderMs == null) {
    R.renderMs = Math.round(performance.now());
    document.body.setAttribute('data-render-ms', String(R.renderMs));
  }
}
var D = JSON.parse(document.getElementById('conlimit-data').textContent);
R.kind = D.kind;
var root = document.getElementById('report');
root.textContent = '';

var OUTCOMES = ['ok', 'connected', 'connected-unserved', 'app-refused', 'refused', 'connect-timeout', 'reset',
  'client-limited', 'error'];
var MEANING = {
  'ok': 'served: the application answered, not a refusal',
  'connected': 'handshake only (the probe checks nothing more)',
  'connected-unserved': 'handshake done, no answer from the application in time',
  'app-refused': 'the application refused after the handshake',
  'refused': 'RST to the SYN: nothing listens',
  'connect-timeout': 'no SYN-ACK in time: the SYNs were dropped',
  'reset': 'RST after the handshake',
  'client-limited': "the client's own limit (EMFILE, ports), not the server's",
  'error': 'anything else (the detail says what)'
};
var COLORS = {
  'ok': '#2ca02c', 'connected': '#17becf', 'connected-unserved': '#bcbd22', 'app-refused': '#9467bd',
  'refused': '#8c564b', 'connect-timeout': '#d62728', 'reset': '#ff7f0e', 'client-limited': '#7f7f7f', 'error': '#e377c2'
};
var RUN_COLORS = { a: '#1f77b4', b: '#ff7f0e' };
var WIDTH = Math.max(640, Math.min(1100, (root.clientWidth || 1000) - 4));

// ---- small DOM helpers (text only: nothing from the data is parsed as HTML) ----
function el(tag, attrs, content) {
  var e = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  }
  if (content != null) {
    (Array.isArray(content) ? content : [content]).forEach(function (c) {
      if (c == null) { return; }
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
  }
  return e;
}
function at(obj, path) {
  var v = obj;
  for (var i = 0; i < path.length; i++) {
    if (v == null || typeof v !== 'object') { return null; }
    v = v[path[i]];
  }
  return v === undefined ? null : v;
}
function fmt(v) {
  if (v == null) { return '-'; }
  if (typeof v === 'number') {
    return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  }
  if (typeof v === 'boolean') { return v ? 'yes' : 'no'; }
  if (Array.isArray(v)) { return v.map(fmt).join(', '); }
  if (typeof v === 'object') { return JSON.stringify(v); }
  return String(v);
}
function table(head, rows, numeric) {
  var t = el('table');
  if (head) {
    t.appendChild(el('tr', null, head.map(function (h, i) {
      return el('th', numeric && numeric[i] ? { 'class': 'num' } : null, h);
    })));
  }
  rows.forEach(function (r) {
    t.appendChild(el('tr', null, r.map(function (c, i) {
      return el('td', numeric && numeric[i] ? { 'class': 'num' } : null, c);
    })));
  });
  return t;
}
function section(title) {
  var s = el('section');
  s.appendChild(el('h2', null, title));
  root.appendChild(s);
  return s;
}
function absent(parent, title, why) {
  var f = el('figure', { 'class': 'plot absent-plot' });
  f.appendChild(el('h3', null, title));
  f.appendChild(el('p', { 'class': 'absent' }, 'Not drawn: ' + why + '.'));
  parent.appendChild(f);
}
function guarded(name, fn) {
  try {
    fn();
  } catch (e) {
    R.problems.push(name + ': ' + e.message);
    console.error('conlimit report: ' + name + ' could not be drawn: ' + e.message);
    root.appendChild(el('p', { 'class': 'note' }, name + ' could not be drawn: ' + e.message));
  }
}
function sum(a) { var s = 0; for (var i = 0; i < a.length; i++) { s += a[i] || 0; } return s; }
function max(a) { var m = -Infinity; for (var i = 0; i < a.length; i++) { if (a[i] != null && a[i] > m) { m = a[i]; } } return m; }
function min(a) { var m = Infinity; for (var i = 0; i < a.length; i++) { if (a[i] != null && a[i] < m) { m = a[i]; } } return m; }

// ---- the one way a plot is drawn ----
// spec: {id, title, caption, opts (uPlot options without width/height), data, refs: [series indexes not counted],
//        leading: how many first x positions only start a step (not counted)}
function plot(parent, spec) {
  var fig = el('figure', { 'class': 'plot', id: 'plot-' + spec.id, 'data-plot': spec.id });
  fig.appendChild(el('h3', null, spec.title));
  var box = el('div', { 'class': 'chart' });
  fig.appendChild(box);
  fig.appendChild(el('figcaption', null, spec.caption));
  parent.appendChild(fig);
  var opts = spec.opts;
  opts.width = WIDTH;
  opts.height = spec.height || 330;
  var entry = R.plots[spec.id] = { points: 0, series: [], drawn: false };
  fig.setAttribute('data-drawn', 'false');
  opts.hooks = opts.hooks || {};
  R.expected++;
  opts.hooks.draw = [function () { // uPlot draws after the constructor returns
    if (!entry.drawn) {
      entry.drawn = true;
      fig.setAttribute('data-drawn', 'true');
      R.drawnCount++;
      allDrawn();
    }
  }];
  var u = new uPlot(opts, spec.data, box);
  var refs = spec.refs || [];
  var points = 0;
  for (var i = 1; i < u.series.length; i++) {
    if (refs.indexOf(i) >= 0) { continue; }
    var ys = u.mode === 2 ? u.data[i][1] : u.data[i];
    for (var j = spec.leading || 0; j < ys.length; j++) {
      if (ys[j] != null) { points++; }
    }
  }
  entry.points = points;
  entry.series = u.series.slice(1).map(function (s) { return s.label; });
  fig.setAttribute('data-points', String(points));
  return u;
}
function axis(label, extra) {
  var a = { label: label, stroke: '#333', grid: { stroke: '#eceff3' }, ticks: { stroke: '#ccd' } };
  return Object.assign(a, extra || {});
}
function line(label, color, extra) {
  return Object.assign({ label: label, stroke: color, width: 1.5, points: { show: false } }, extra || {});
}
function dots(label, color, size) {
  return {
    label: label, stroke: color, fill: color, width: 0, paths: uPlot.paths.points(),
    points: { show: false, size: size || 4, width: 0 }
  };
}
var noPath = function () { return null; };
// a count's axis starts at 0
var fromZero = { range: function (u, lo, hi) { return [0, hi > 0 ? hi * 1.05 : 1]; } };
function marker(label, color) {
  return { label: label, stroke: color, fill: color, paths: noPath, points: { show: true, size: 11, fill: color, stroke: '#000', width: 1 } };
}
function rateValue(v) { return v == null ? '-' : (Math.round(v * 10) / 10) + ' /s'; }
