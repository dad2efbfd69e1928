// A run's plots.
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
