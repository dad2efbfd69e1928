// A series: sweep and find-limit.
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
  tsec.appendChild(table(['#', 'value', 'passed', 'succeeded', 'failures', 'connect p99 ms', 'why', 'page'], runs.map(function (r, i) {
    var link = sd.links[i];
    return [String(i + 1), fmt(r.value) + unit, fmt(r.passed), fmt(r.succeeded != null ? r.succeeded : r.ok), fmt(r.failures),
      fmt(r.connect_p99_ms), fmt(r.why),
      link ? el('a', { href: link }, 'report') : '-'];
  }), [true, true, false, true, true, true, false, false]));
  footer('folder ' + sd.folder);
}
