// Two runs overlaid.
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
