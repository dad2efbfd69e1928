// conlimit report: draws one results page from the JSON in #conlimit-data with uPlot (inlined above).
// Every plot registers itself in window.conlimitReport.plots[id] = {points, series, drawn} and on its <figure> as
// data-points / data-drawn: the number of data points handed to uPlot (reference lines not counted).
(function () {
  'use strict';
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

  // ---- a run's plots ----
  // a range around the data with a margin of 3% (at least 0.5 ms): a burst's connect() calls span milliseconds
  function padded(u, lo, hi) {
    var m = Math.max((hi - lo) * 0.03, 0.0005);
    return [Math.max(0, lo - m), hi + m];
  }
  // tick labels with as many decimals as the tick step needs (a burst spans milliseconds)
  function seconds(u, vals, axisIdx, space, incr) {
    var d = Math.min(6, Math.max(0, Math.ceil(-Math.log10(incr || 1) - 1e-9)));
    return vals.map(function (v) { return v == null ? '' : v.toFixed(d); });
  }
  function scatterSpec(id, title, rd, caption) {
    var sc = rd.scatter;
    var series = [{}];
    var data = [null];
    var ymax = 0;
    var xmin = Infinity;
    var xmax = -Infinity;
    sc.series.forEach(function (s) {
      var label = s.outcome + ': ' + s.count + (s.every > 1 ? ' (1 in ' + s.every + ' drawn: ' + s.shown + ')' : '');
      series.push(dots(label, COLORS[s.outcome] || '#000', 5));
      data.push([s.x, s.y]);
      if (s.y.length) {
        ymax = Math.max(ymax, max(s.y));
        xmin = Math.min(xmin, min(s.x));
        xmax = Math.max(xmax, max(s.x));
      }
    });
    var refs = [];
    var sched = rd.syn_schedule_s || [];
    if (isFinite(xmin)) {
      sched.forEach(function (s) {
        if (s * 1000 <= ymax * 1.05) {
          refs.push(series.length);
          series.push(line('SYN retransmit at ' + s + ' s', '#8a8f99', { dash: [5, 5], width: 1 }));
          data.push([[xmin, xmax], [s * 1000, s * 1000]]);
        }
      });
    }
    return {
      id: id, title: title, caption: caption, refs: refs, data: data,
      opts: {
        mode: 2,
        legend: { live: false },
        cursor: { drag: { x: true, y: true } },
        scales: { x: { time: false, range: padded }, y: { distr: 3, log: 10 } },
        axes: [axis('connect() call (s since the run began)', { values: seconds }), axis('connect latency (ms, log scale)', { size: 70 })],
        series: series
      }
    };
  }

  function runScatter(parent, rd) {
    if (!rd.scatter) { return absent(parent, 'Connect latency of every connection', rd.absent.scatter || 'no connections'); }
    var sc = rd.scatter;
    var caption = 'Each dot is one connection: when the client called connect() (x) and how long until its handshake ' +
      'completed (y); one that never completed a handshake is drawn when its outcome was decided (a connect-timeout ' +
      'at its timeout). Stripes on the dashed lines are connections that got in only after 1, 2, 3... SYN retransmits ' +
      "(this client kernel's schedule): their first SYNs were dropped.";
    if (sc.sampled) {
      caption += ' Sampled: ' + sc.total + ' connections are more than the ' + sc.budget + ' drawn, so each outcome ' +
        'shows 1 in k of its connections, every k-th in file order (the legend gives k); the counts are the full counts.';
    }
    plot(parent, scatterSpec('scatter', 'Connect latency of every connection', rd, caption));
  }

  function runOutcomes(parent, rd) {
    var t = rd.timeline;
    if (!t || !t.end.length) { return absent(parent, 'Outcomes over time', (rd.absent && rd.absent.timeline) || 'no timeline'); }
    var mid = t.end.map(function (e, i) { return (e + t.start[i]) / 2; });
    var present = OUTCOMES.filter(function (o) { return sum(t.outcomes[o]) > 0; });
    var cum = [];
    var acc = t.end.map(function () { return 0; });
    present.forEach(function (o) {
      acc = acc.map(function (v, i) { return v + t.outcomes[o][i]; });
      cum.push(acc.slice());
    });
    // drawn tallest first, so that each lower total covers the bottom of the one before: stacked bars
    var series = [{}];
    var data = [mid];
    for (var k = present.length - 1; k >= 0; k--) {
      (function (o) {
        series.push({
          label: o, stroke: COLORS[o], fill: COLORS[o], width: 0,
          paths: uPlot.paths.bars({ size: [0.85, 80] }), points: { show: false },
          value: function (u, v, si, idx) { return idx == null ? '-' : String(t.outcomes[o][idx]); }
        });
      })(present[k]);
      data.push(cum[k]);
    }
    if (present.length === 0) { return absent(parent, 'Outcomes over time', 'no connection was decided'); }
    plot(parent, {
      id: 'outcomes', title: 'Outcomes over time', data: data,
      caption: 'How many connections got each outcome in each interval of the timeline (about a second), stacked. ' +
        'An outcome counts when it is decided: a connect-timeout when its timeout expires, not when it started.',
      opts: {
        scales: { x: { time: false }, y: fromZero },
        axes: [axis('time since the run began (s), interval midpoints'), axis('connections decided per interval', { size: 60 })],
        series: series
      }
    });
  }

  function runArrivals(parent, rd) {
    var t = rd.timeline;
    if (!t || !t.end.length) { return absent(parent, 'Arrival rate: intended and actual', 'no timeline'); }
    // steps: each interval's average from its start to its end (x: the first start, then every end)
    var xs = [t.start[0]].concat(t.end);
    var len = t.end.map(function (e, i) { return Math.max(1e-3, e - t.start[i]); });
    var stepsOf = function (counts) {
      var r = counts.map(function (v, i) { return v / len[i]; });
      return [r[0]].concat(r);
    };
    var stepped = uPlot.paths.stepped({ align: -1 });
    var series = [{}];
    var data = [xs];
    if (t.intended) {
      series.push(line('intended starts', '#1f77b4', { value: function (u, v) { return rateValue(v); }, dash: [6, 3], width: 2, paths: stepped }));
      data.push(stepsOf(t.intended));
    }
    series.push(line('connect() calls', '#2ca02c', { value: function (u, v) { return rateValue(v); }, paths: stepped }));
    data.push(stepsOf(t.started));
    series.push(line('late starts', '#d62728', { value: function (u, v) { return rateValue(v); }, paths: stepped }));
    data.push(stepsOf(t.late_starts));
    var thr = at(rd.summary, ['late_threshold_ms']);
    var caption = 'Per interval, averaged over it: the connections the load shape meant to start, the connect() calls ' +
      'the client made, and its late starts (a connect() more than ' + (thr == null ? 'the threshold' : thr + ' ms') +
      ' behind its intended start: the generator fell behind, not the server).';
    if (!t.intended) { caption += ' Intended starts not drawn: ' + (rd.absent.intended || 'unknown') + '.'; }
    plot(parent, {
      id: 'arrivals', title: 'Arrival rate: intended and actual', data: data, caption: caption, leading: 1,
      opts: {
        scales: { x: { time: false }, y: fromZero },
        axes: [axis('time since the run began (s)'), axis('connections per second', { size: 70 })],
        series: series
      }
    });
  }

  function runQueue(parent, rd) {
    var k = rd.kernel;
    if (!k) { return absent(parent, "The server's accept queue against its backlog", rd.absent.kernel); }
    if (!k.t.length) { return absent(parent, "The server's accept queue against its backlog", 'the kernel was observed but gave no sample'); }
    var full = k.max.map(function (m) { return m == null ? null : m + 1; });
    var hz = at(rd.summary, ['kernel', 'sampling_rate_hz']);
    plot(parent, {
      id: 'queue', title: "The server's accept queue against its backlog", refs: [2, 3],
      data: [k.t, k.queued, k.max, full],
      caption: "The listener's accept queue as the server's kernel reported it (ss -lnt Recv-Q), sampled " +
        (hz ? hz + ' times a second' : 'during the run') + ", against its backlog B (Send-Q, after the somaxconn clamp). " +
        'The queue is full at B + 1: every SYN that arrives then is dropped (ListenOverflows), and its client retransmits it. ' +
        'A queue that fills and drains between two samples is not seen here; the counters below still count its drops.',
      opts: {
        scales: { x: { time: false }, y: fromZero },
        axes: [axis('time since the run began (s)'), axis('connections', { size: 60 })],
        series: [{},
          line('accept queue (Recv-Q)', '#1f77b4', { width: 2, points: { show: true, size: 4 } }),
          line('backlog B (Send-Q)', '#555', { dash: [6, 4] }),
          line('full: B + 1', '#d62728', { dash: [2, 3] })]
      }
    });
  }

  function runCounters(parent, rd) {
    var k = rd.kernel;
    if (!k) { return absent(parent, "The server kernel's drop counters", rd.absent.kernel); }
    if (!k.t.length) { return absent(parent, "The server kernel's drop counters", 'no sample'); }
    var palette = ['#d62728', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22', '#1f77b4'];
    var names = Object.keys(k.counters).filter(function (n) {
      var c = k.counters[n];
      return n === 'ListenOverflows' || (c.length && c[c.length - 1] !== 0);
    });
    var series = [{}];
    var data = [k.t];
    names.forEach(function (n, i) {
      series.push(line(n, palette[i % palette.length], { width: n === 'ListenOverflows' ? 2.5 : 1.5 }));
      data.push(k.counters[n]);
    });
    plot(parent, {
      id: 'counters', title: "The server kernel's drop counters", data: data,
      caption: "TcpExt counters of the server's network namespace (nstat), counted from the run's start; counters " +
        'that stayed 0 are left out, except ListenOverflows. Each SYN dropped at a full accept queue adds one, so a ' +
        'step at 1, 2, 3 s is a wave of retransmitted SYNs meeting the full queue again. They count the whole ' +
        "namespace, not only this run's port.",
      opts: {
        scales: { x: { time: false }, y: fromZero },
        axes: [axis('time since the run began (s)'), axis('count since the start', { size: 70 })],
        series: series
      }
    });
  }

  function runHeld(parent, rd) {
    if (!rd.held) { return absent(parent, 'Connections held: client and server', rd.absent.scatter || 'no connections'); }
    var parts = [[rd.held.t, rd.held.held]];
    var series = [{}, line('client held (peak per ' + Math.round(rd.held.bin_s * 1000) + ' ms)', '#2ca02c', { width: 2 })];
    var refs = [];
    if (rd.kernel && rd.kernel.t.length) {
      parts.push([rd.kernel.t, rd.kernel.queued]);
      series.push(line("server's accept queue (Recv-Q)", '#1f77b4', { dash: [4, 3] }));
    }
    var census = at(rd.summary, ['server_sockets']);
    var took = census && census.taken;
    if (took) {
      parts.push([[census.at_s], [census.client_connected]]);
      series.push(marker('census: client established ' + census.client_connected, '#2ca02c'));
      parts.push([[census.at_s], [census.server_has]]);
      series.push(marker("census: server's kernel had " + census.server_has, '#1f77b4'));
      if (census.phantoms > 0) {
        parts.push([[census.at_s], [census.phantoms]]);
        series.push(marker('census: phantoms ' + census.phantoms, '#d62728'));
      }
    }
    var data = uPlot.join(parts);
    var caption = 'Connections the client held established (handshake done, not closed) over time, from connections.csv, ' +
      "beside the server's accept queue. The server's own count of sockets is known at one instant only: the socket " +
      'census after the load (the markers), where a client connection the server has no socket for is a phantom.';
    if (!took) {
      caption += ' No census: ' + ((census && census.reason) || "the server's socket table was not read") + '.';
    } else if (census.sentence) {
      caption += ' Census: ' + census.sentence + '.';
    }
    if (rd.absent.held_partial) { caption += ' ' + rd.absent.held_partial + '.'; }
    plot(parent, {
      id: 'held', title: 'Connections held: client and server', data: data, refs: refs, caption: caption,
      opts: {
        scales: { x: { time: false }, y: fromZero },
        axes: [axis('time since the run began (s)'), axis('connections', { size: 60 })],
        series: series.map(function (s, i) { return i === 0 ? s : Object.assign({ spanGaps: true }, s); })
      }
    });
  }

  function percentileSpec(id, title, curves, caption) {
    var parts = [];
    var series = [{}];
    curves.forEach(function (c) {
      parts.push([c.x, c.ms]);
      series.push(line(c.label + ' (' + c.count + ', max ' + fmt(c.max_ms) + ' ms)', c.color, { width: 2, spanGaps: true }));
    });
    var data = uPlot.join(parts);
    var xmax = max(data[0]);
    return {
      id: id, title: title, data: data, caption: caption,
      opts: {
        scales: { x: { time: false, distr: 3, log: 10 } },
        axes: [
          axis('percentile (log scale of 1/(1-p), as HdrHistogram plots it)', {
            splits: function () {
              var s = [];
              for (var v = 1; v <= xmax * 1.0001; v *= 10) { s.push(v); }
              return s;
            },
            values: function (u, vals) {
              return vals.map(function (v) { return v == null ? '' : (Math.round((1 - 1 / v) * 1e6) / 1e4) + '%'; });
            }
          }),
          axis('latency (ms)', { size: 70 })],
        series: series
      }
    };
  }

  function runPercentiles(parent, rd) {
    var palette = { connect: '#1f77b4', connect_service: '#2ca02c', ttfb: '#9467bd' };
    var curves = (rd.percentiles || []).filter(function (c) { return c.count > 0 && c.x.length > 0; })
      .map(function (c) { return Object.assign({ color: palette[c.name] || '#333' }, c); });
    if (!curves.length) { return absent(parent, 'Latency percentile distribution', 'no latency was recorded (no handshake completed)'); }
    plot(parent, percentileSpec('percentiles', 'Latency percentile distribution', curves,
      'From the HdrHistogram interval logs (.hlog) of the whole run: the latency at each percentile, the tail to the ' +
      'right (90%, 99%, 99.9%...). A jump near 1000 ms is the first SYN retransmit. Connections that never completed ' +
      'a handshake have no connect latency and are not in these curves.'));
  }

  // ---- a run's tables ----
  function runHeader(rd) {
    var s = rd.summary || {};
    var complete = rd.complete;
    var h = el('h1', null, ['conlimit run: ' + (rd.name || '(unnamed)') + ' ',
      el('span', { 'class': complete ? 'badge' : 'badge bad' }, complete ? 'complete' : 'INCOMPLETE')]);
    root.appendChild(h);
    var inputs = at(rd.run, ['inputs']) || {};
    root.appendChild(el('p', { 'class': 'sub' }, [fmt(inputs.phases) + ' · probe ' + fmt(inputs.probe) + ' · ' +
      fmt(s.connections) + ' connections in ' + fmt(s.duration_s) + ' s · ' + fmt(inputs.target)]));
    if (!complete) {
      root.appendChild(el('p', { 'class': 'note' }, s.incomplete_reason ? 'Incomplete: ' + s.incomplete_reason
        : (rd.absent.summary || 'the run was interrupted') + '.'));
    }
    var limit = s.limit;
    if (limit && (limit.predicted != null || limit.measured != null)) {
      var agree = limit.predicted != null && limit.measured != null && limit.predicted === limit.measured;
      root.appendChild(el('p', { 'class': 'verdict', id: 'verdict' }, [
        el('b', null, fmt(limit.quantity) + ': predicted ' + fmt(limit.predicted) + ', measured ' + fmt(limit.measured) + '. '),
        limit.sentence || ('Binding limit: ' + fmt(limit.binding)) + (agree ? '' : '')]));
    }
  }

  function runFacts(rd) {
    var s = rd.summary;
    if (!s) { return; }
    var sec = section('The numbers');
    var grid = el('div', { 'class': 'grid' });
    sec.appendChild(grid);
    var col1 = el('div');
    var total = s.connections || 0;
    col1.appendChild(el('h3', null, 'Outcomes'));
    col1.appendChild(table(['outcome', 'count', 'share', 'what it means'], OUTCOMES.map(function (o) {
      var n = at(s, ['outcomes', o]);
      return [el('span', null, [el('span', { 'class': 'swatch', style: 'background:' + COLORS[o] }), o]), fmt(n),
        total ? (Math.round((n || 0) * 1000 / total) / 10) + '%' : '-', MEANING[o]];
    }), [false, true, true, false]));
    var lat = [['connect (from intended start)', 'connect_ms'], ['connect (from connect())', 'connect_service_ms'], ['time to first byte', 'ttfb_ms']];
    col1.appendChild(el('h3', null, 'Latency (ms)'));
    col1.appendChild(table(['', 'p50', 'p90', 'p99', 'p99.9', 'max', 'count'], lat.map(function (l) {
      var o = s[l[1]] || {};
      return [l[0], fmt(o.p50), fmt(o.p90), fmt(o.p99), fmt(o.p999), fmt(o.max), fmt(o.count)];
    }), [false, true, true, true, true, true, true]));
    var syn = s.syn_retransmits || {};
    col1.appendChild(el('p', null, 'SYN retransmits (client, TCP_INFO): ' + fmt(syn.total) + ' on ' +
      fmt(syn.connections_with_retransmits) + ' connections, at most ' + fmt(syn.max) + ' on one.'));
    grid.appendChild(col1);

    var col2 = el('div');
    var p = s.prediction;
    col2.appendChild(el('h3', null, 'Prediction beside the measurement'));
    if (s.limit) {
      col2.appendChild(table(['quantity', 'predicted', 'measured', 'binding limit'],
        [[fmt(s.limit.quantity), fmt(s.limit.predicted), fmt(s.limit.measured), fmt(s.limit.binding)]], [false, true, true, false]));
    }
    if (p && p.sentence) { col2.appendChild(el('p', null, p.sentence)); }
    (p && p.notes || []).forEach(function (n) { col2.appendChild(el('p', { 'class': 'small' }, 'note: ' + n)); });
    if (Array.isArray(s.phases) && s.phases.length) { // per-phase results, when the summary has them
      var keys = [];
      s.phases.forEach(function (ph) {
        Object.keys(ph).forEach(function (k) {
          if ((ph[k] === null || typeof ph[k] !== 'object') && keys.indexOf(k) < 0) { keys.push(k); }
        });
      });
      col2.appendChild(el('h3', null, 'Phases'));
      col2.appendChild(table(keys, s.phases.map(function (ph) { return keys.map(function (k) { return fmt(ph[k]); }); })));
    }
    if (Array.isArray(s.expectations) && s.expectations.length) {
      col2.appendChild(el('h3', null, 'Expectations'));
      col2.appendChild(table(['', 'expectation', 'result'], s.expectations.map(function (e) {
        return [el('span', { 'class': e.passed ? 'badge' : 'badge bad' }, e.passed ? 'passed' : 'FAILED'), e.expect, e.detail];
      })));
    }
    grid.appendChild(col2);

    var col3 = el('div');
    var k = s.kernel;
    col3.appendChild(el('h3', null, "The server's kernel"));
    if (k && k.observed) {
      var rows = [['source', fmt(k.source)], ['listener', fmt(k.listener)], ['backlog seen (Send-Q)', fmt(k.backlog_seen)],
        ['largest accept queue seen', fmt(k.queue_max_seen)]];
      Object.keys(k.counters_delta || {}).forEach(function (c) { rows.push([c + ' (+)', fmt(k.counters_delta[c])]); });
      col3.appendChild(table(null, rows, [false, true]));
    } else {
      col3.appendChild(el('p', { 'class': 'absent' }, 'Not observed' + (k && k.reason ? ': ' + k.reason : '') + '.'));
    }
    if (s.consistency) {
      col3.appendChild(el('p', null, [el('b', null, 'Consistency: ' + fmt(s.consistency.status) + '. '), s.consistency.explanation || '']));
    }
    if (s.server_sockets && s.server_sockets.taken) {
      col3.appendChild(el('p', null, [el('b', null, 'Socket census: '), s.server_sockets.sentence || '']));
    }
    grid.appendChild(col3);

    var col4 = el('div');
    col4.appendChild(el('h3', null, 'The settings that decided it'));
    var srv = at(s, ['kernel', 'server_settings', 'sysctls']) || {};
    var cli = at(rd.run, ['client', 'sysctls']) || {};
    var model = at(s, ['prediction', 'model']) || {};
    var sched = at(s, ['prediction', 'client_syn_schedule']) || at(s, ['kernel', 'server_settings', 'syn_retry_schedule']);
    var inputs = at(rd.run, ['inputs']) || {};
    var settings = [
      ['server', 'kind / workers W', fmt(model.kind) + ' / ' + fmt(model.workers)],
      ['server', 'backlog requested → effective', fmt(model.backlog_requested) + ' → ' + fmt(model.backlog_effective) +
        (model.clamped ? ' (clamped by somaxconn)' : '')],
      ['server kernel', 'net.core.somaxconn', fmt(srv['net.core.somaxconn'])],
      ['server kernel', 'tcp_max_syn_backlog', fmt(srv['net.ipv4.tcp_max_syn_backlog'])],
      ['server kernel', 'tcp_syncookies', fmt(srv['net.ipv4.tcp_syncookies'])],
      ['server kernel', 'tcp_abort_on_overflow', fmt(srv['net.ipv4.tcp_abort_on_overflow'])],
      ['server kernel', 'tcp_synack_retries', fmt(srv['net.ipv4.tcp_synack_retries'])],
      ['client kernel', 'tcp_syn_retries', fmt(cli['net.ipv4.tcp_syn_retries'])],
      ['client kernel', 'tcp_syn_linear_timeouts', fmt(cli['net.ipv4.tcp_syn_linear_timeouts'])],
      ['client kernel', 'SYN retransmits at (s)', sched ? fmt(sched.retransmit_at_s) + '; connect() fails at ' + fmt(sched.connect_fails_at_s) + ' s' : '-'],
      ['client', 'connect timeout', fmt(inputs.connect_timeout_ms) + ' ms'],
      ['client', 'probe', fmt(inputs.probe_spec || inputs.probe)],
      ['client', 'transport / event loops', fmt(inputs.transport) + ' / ' + fmt(inputs.event_loops)]
    ];
    col4.appendChild(table(['where', 'setting', 'value'], settings));
    grid.appendChild(col4);
  }

  function footer(extra) {
    root.appendChild(el('footer', null, [D.generator + ' · drawn with uPlot · ' + (extra || '')]));
  }

  function runPage(rd) {
    runHeader(rd);
    var story = section('What happened to the connections');
    guarded('the scatter', function () { runScatter(story, rd); });
    guarded('the outcomes over time', function () { runOutcomes(story, rd); });
    var kern = section("The server's side");
    guarded('the accept queue', function () { runQueue(kern, rd); });
    guarded('the held connections', function () { runHeld(kern, rd); });
    guarded('the kernel counters', function () { runCounters(kern, rd); });
    var load = section('The load');
    guarded('the arrival rate', function () { runArrivals(load, rd); });
    var lat = section('Latency');
    guarded('the percentiles', function () { runPercentiles(lat, rd); });
    guarded('the tables', function () { runFacts(rd); });
    footer('folder ' + rd.folder);
  }

  // ---- series: sweep and find-limit ----
  function isNumber(v) { return v !== '' && v != null && isFinite(Number(v)); }

  function sweepPage(sd) {
    var sw = sd.series;
    var cells = sw.cells || [];
    var vary = sw.vary || [];
    root.appendChild(el('h1', null, 'conlimit sweep: ' + fmt(sw.scenario)));
    root.appendChild(el('p', { 'class': 'sub' }, cells.length + ' runs, varying ' +
      vary.map(function (v) { return v.path + ' = ' + fmt(v.values); }).join(' × ') + ' · ' + fmt(sw.file)));
    var quantity = null;
    cells.forEach(function (c) { if (!quantity && c.limit && c.limit.quantity) { quantity = c.limit.quantity; } });
    var sec = section('Measured against predicted');
    guarded('the sweep plot', function () {
      if (!vary.length || !cells.length) { return absent(sec, 'Measured and predicted limit', 'the sweep has no cells'); }
      var p0 = vary[0].path;
      var values = vary[0].values.map(String);
      var numeric = values.every(isNumber);
      var xs = numeric ? values.map(Number).slice().sort(function (a, b) { return a - b; }) : values.map(function (v, i) { return i; });
      xs = xs.filter(function (v, i) { return xs.indexOf(v) === i; });
      var xOf = function (v) { return numeric ? Number(v) : values.indexOf(String(v)); };
      var groups = [];
      var groupOf = function (c) {
        var o = c.overrides || {};
        return Object.keys(o).filter(function (k) { return k !== p0; }).map(function (k) { return k + '=' + o[k]; }).join(' ');
      };
      cells.forEach(function (c) { var g = groupOf(c); if (groups.indexOf(g) < 0) { groups.push(g); } });
      var palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
      var series = [{}];
      var data = [xs];
      groups.forEach(function (g, gi) {
        var meas = xs.map(function () { return null; });
        var pred = xs.map(function () { return null; });
        cells.forEach(function (c) {
          if (groupOf(c) !== g || !c.overrides) { return; }
          var i = xs.indexOf(xOf(c.overrides[p0]));
          if (i < 0) { return; }
          meas[i] = at(c, ['limit', 'measured']);
          pred[i] = at(c, ['limit', 'predicted']);
        });
        var color = palette[gi % palette.length];
        var suffix = g ? ' (' + g + ')' : '';
        series.push(line('measured' + suffix, color, { width: 2, spanGaps: true, points: { show: true, size: 8 } }));
        data.push(meas);
        series.push(line('predicted' + suffix, color, { width: 1.5, dash: [6, 4], spanGaps: true, points: { show: true, size: 5, fill: '#fff' } }));
        data.push(pred);
      });
      var positive = xs.every(function (v) { return v > 0; });
      var logX = numeric && positive && xs.length > 1 && xs[xs.length - 1] / xs[0] >= 20;
      plot(sec, {
        id: 'sweep', title: 'Measured and predicted ' + (quantity || 'limit') + ' over ' + p0, data: data,
        caption: 'Each run of the sweep is a fresh server: the solid line is what it measured, the dashed one what ' +
          'the theory predicted for that setting' + (groups.length > 1 ? ', one pair of lines per value of the other varied settings' : '') +
          '. Where they part, the table below and that run\'s own page say why.',
        opts: {
          scales: { x: numeric ? (logX ? { time: false, distr: 3, log: 2 } : { time: false }) : { time: false, distr: 2 } },
          axes: [axis(p0 + (logX ? ' (log scale)' : ''), numeric ? {} : {
            values: function (u, vals) { return vals.map(function (v) { return values[v] == null ? '' : values[v]; }); }
          }), axis((quantity || 'limit') + ' (connections)', { size: 70 })],
          series: series
        }
      });
    });
    var tsec = section('Every run');
    tsec.appendChild(table(['run', 'quantity', 'predicted', 'measured', 'binding', 'exit', 'page'], cells.map(function (c, i) {
      var link = sd.links[i];
      return [c.label, fmt(at(c, ['limit', 'quantity'])), fmt(at(c, ['limit', 'predicted'])), fmt(at(c, ['limit', 'measured'])),
        fmt(at(c, ['limit', 'binding'])), fmt(c.exit_code), link ? el('a', { href: link }, 'report') : '-'];
    }), [false, false, true, true, false, true, false]));
    footer('folder ' + sd.folder);
  }

  function findLimitPage(sd) {
    var f = sd.series;
    var runs = f.runs || [];
    var rate = f['for'] === 'rate';
    var unit = rate ? '/s' : '';
    root.appendChild(el('h1', null, 'conlimit find-limit --for ' + fmt(f['for']) + ': ' + fmt(f.scenario)));
    root.appendChild(el('p', { 'class': 'verdict', id: 'verdict' }, [el('b', null, 'Knee: ' + (f.knee == null ? 'none' : f.knee + unit) + '. '), fmt(f.verdict)]));
    var sec = section('The search');
    guarded('the search plot', function () {
      if (!runs.length) { return absent(sec, 'Each probe of the search', 'no run'); }
      var xs = runs.map(function (r, i) { return i + 1; });
      var passed = runs.map(function (r) { return r.passed ? r.value : null; });
      var failed = runs.map(function (r) { return r.passed ? null : r.value; });
      var series = [{}, marker('passed (no failures)', '#2ca02c'), marker('failed', '#d62728')];
      var data = [xs, passed, failed];
      var refs = [];
      if (f.knee != null) {
        refs.push(series.length);
        series.push(line('knee: ' + f.knee + unit, '#2ca02c', { dash: [6, 4] }));
        data.push(xs.map(function () { return f.knee; }));
      }
      if (f.smallest_failing != null) {
        refs.push(series.length);
        series.push(line('smallest failing: ' + f.smallest_failing + unit, '#d62728', { dash: [2, 3] }));
        data.push(xs.map(function () { return f.smallest_failing; }));
      }
      var vals = runs.map(function (r) { return r.value; }).filter(function (v) { return v > 0; });
      var logY = vals.length > 1 && max(vals) / min(vals) >= 16;
      plot(sec, {
        id: 'find-limit', title: 'Each probe of the search and the knee', data: data, refs: refs,
        caption: 'Each run of the search in order (x) and the ' + (rate ? 'rate' : f['for'] === 'hold' ? 'held count' : 'burst size') +
          ' it tried (y): it doubles while runs pass, then bisects between the largest passing and the smallest failing value. ' +
          'A run fails when any outcome but ok (or connected, for a connect probe) occurred' + (f.p99_bound_ms != null ? ', or connect p99 reached ' + f.p99_bound_ms + ' ms' : '') + '.',
        opts: {
          scales: { x: { time: false }, y: logY ? { distr: 3, log: 2 } : {} },
          axes: [axis('run of the search', { incrs: [1, 2, 5, 10] }), axis((rate ? 'rate (/s)' : 'value tried') + (logY ? ', log scale' : ''), { size: 70 })],
          series: series
        }
      });
    });
    var tsec = section('Every run');
    tsec.appendChild(table(['#', 'value', 'passed', 'ok', 'failures', 'connect p99 ms', 'why', 'page'], runs.map(function (r, i) {
      var link = sd.links[i];
      return [String(i + 1), fmt(r.value) + unit, fmt(r.passed), fmt(r.ok), fmt(r.failures), fmt(r.connect_p99_ms), fmt(r.why),
        link ? el('a', { href: link }, 'report') : '-'];
    }), [true, true, false, true, true, true, false, false]));
    footer('folder ' + sd.folder);
  }

  // ---- compare: two runs overlaid ----
  function verdictText(v) {
    if (v == null) { return null; }
    if (typeof v === 'string') { return v; }
    return v.sentence || v.line || v.text || v.summary || JSON.stringify(v);
  }

  function comparePage() {
    var a = D.a;
    var b = D.b;
    var c = D.comparison || {};
    root.appendChild(el('h1', null, 'conlimit compare: ' + (a.name || 'A') + ' and ' + (b.name || 'B')));
    root.appendChild(el('p', { 'class': 'sub' }, [el('span', { 'class': 'swatch', style: 'background:' + RUN_COLORS.a }),
      'A: ' + a.folder + (a.complete ? '' : ' (INCOMPLETE)') + '  ',
      el('span', { 'class': 'swatch', style: 'background:' + RUN_COLORS.b }), 'B: ' + b.folder + (b.complete ? '' : ' (INCOMPLETE)')]));
    var v = verdictText(c.verdict);
    root.appendChild(el('p', { 'class': 'verdict', id: 'verdict' }, v ? [el('b', null, 'Verdict: '), v]
      : 'conlimit compare gives no verdict line for these two runs: the rows below are their differences.'));
    var sec = section('The two runs overlaid');
    guarded('the percentiles', function () {
      var curves = [];
      [['a', a], ['b', b]].forEach(function (p) {
        (p[1].percentiles || []).forEach(function (cv) {
          if (cv.name === 'connect' && cv.count > 0 && cv.x.length) {
            curves.push(Object.assign({}, cv, { label: p[0].toUpperCase() + ' ' + (p[1].name || ''), color: RUN_COLORS[p[0]] }));
          }
        });
      });
      if (!curves.length) { return absent(sec, 'Connect latency percentiles', 'neither run completed a handshake'); }
      plot(sec, percentileSpec('percentiles', 'Connect latency percentiles, A and B', curves,
        'Connect latency from the intended start (connect.hlog of each run) at each percentile: the curve further up ' +
        'or right is the slower run; a step near 1000 ms is connections that waited for a SYN retransmit.'));
    });
    guarded('the scatter', function () {
      var series = [{}];
      var data = [null];
      [['a', a], ['b', b]].forEach(function (p) {
        var sc = p[1].scatter;
        if (!sc) { return; }
        var xs = [];
        var ys = [];
        var every = 1;
        sc.series.forEach(function (s) { xs = xs.concat(s.x); ys = ys.concat(s.y); every = Math.max(every, s.every); });
        series.push(dots(p[0].toUpperCase() + ' ' + (p[1].name || '') + ': ' + sc.total + ' connections' +
          (sc.sampled ? ' (' + xs.length + ' drawn, sampled per outcome)' : ''), RUN_COLORS[p[0]], 4));
        data.push([xs, ys]);
      });
      if (series.length === 1) { return absent(sec, 'Connect latency of every connection', 'neither run has connections.csv'); }
      plot(sec, {
        id: 'scatter', title: 'Connect latency of every connection, A and B', data: data,
        caption: "Each dot is one connection of A or B: when it called connect() (s since its own run began) and how " +
          'long from then until its handshake completed, or until its outcome was decided when it never completed one ' +
          '(a connect-timeout at its timeout). Horizontal stripes near 1000, 2000, 3000 ms are SYN retransmits.',
        opts: {
          mode: 2, legend: { live: false }, cursor: { drag: { x: true, y: true } },
          scales: { x: { time: false, range: padded }, y: { distr: 3, log: 10 } },
          axes: [axis('connect() call (s since each run began)', { values: seconds }), axis('connect latency (ms, log scale)', { size: 70 })],
          series: series
        }
      });
    });
    guarded('the accept queues', function () {
      var parts = [];
      var series = [{}];
      [['a', a], ['b', b]].forEach(function (p) {
        var k = p[1].kernel;
        if (k && k.t.length) {
          parts.push([k.t, k.queued]);
          series.push(line(p[0].toUpperCase() + ' accept queue (backlog ' + fmt(at(p[1].summary, ['kernel', 'backlog_seen'])) + ')',
            RUN_COLORS[p[0]], { width: 2, spanGaps: true }));
        }
      });
      if (!parts.length) { return absent(sec, "The servers' accept queues", "neither run observed the server's kernel"); }
      plot(sec, {
        id: 'queue', title: "The servers' accept queues, A and B", data: uPlot.join(parts),
        caption: "Each server's accept queue (ss -lnt Recv-Q) over its own run; a queue flat at its backlog + 1 is full, " +
          'and the SYNs that arrive meanwhile are dropped.',
        opts: {
          scales: { x: { time: false }, y: fromZero },
          axes: [axis('time since each run began (s)'), axis('connections', { size: 60 })],
          series: series
        }
      });
    });
    var tsec = section('Side by side');
    var previous = null;
    var rows = (c.rows || []).map(function (r) {
      var d = (typeof r.a === 'number' && typeof r.b === 'number') ? r.b - r.a : null;
      var heading = r.section === previous ? '' : r.section;
      previous = r.section;
      return [el('b', null, heading), r.label, fmt(r.a), fmt(r.b), d == null ? '' : d === 0 ? '=' : (d > 0 ? '+' : '') + fmt(d)];
    });
    tsec.appendChild(table(['', 'quantity', 'A', 'B', 'B - A'], rows, [false, false, true, true, true]));
    footer('');
  }

  // ---- the page ----
  guarded('the page', function () {
    if (D.kind === 'run') {
      runPage(D.run);
    } else if (D.kind === 'sweep') {
      sweepPage(D.series);
    } else if (D.kind === 'find-limit') {
      findLimitPage(D.series);
    } else if (D.kind === 'compare') {
      comparePage();
    } else {
      throw new Error('unknown report kind ' + D.kind);
    }
  });
  R.ready = true;
  document.body.setAttribute('data-report-ready', 'true');
  allDrawn();
})();
