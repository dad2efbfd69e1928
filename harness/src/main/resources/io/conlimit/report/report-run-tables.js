// A run's header and tables.
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
    keys.push('outcomes');
    var outcomesOf = function (o) {
      return o ? OUTCOMES.filter(function (k) { return o[k]; }).map(function (k) { return k + ' ' + o[k]; }).join(', ') : '-';
    };
    col2.appendChild(el('h3', null, 'Phases'));
    col2.appendChild(table(keys, s.phases.map(function (ph) {
      return keys.map(function (k) { return k === 'outcomes' ? outcomesOf(ph.outcomes) : fmt(ph[k]); });
    })));
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
  guarded('the kernel counters', function () { runCounters(kern, rd); });
  guarded('the held connections', function () { runHeld(kern, rd); });
  var load = section('The load');
  guarded('the arrival rate', function () { runArrivals(load, rd); });
  var lat = section('Latency');
  guarded('the percentiles', function () { runPercentiles(lat, rd); });
  guarded('the tables', function () { runFacts(rd); });
  footer('folder ' + rd.folder);
}
