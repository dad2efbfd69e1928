// The page: the kind of report picks what is drawn.
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
