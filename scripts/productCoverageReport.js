// An istanbul coverage report (in jest.config.js `coverageReporters`): after the text summary of
// `jest --coverage` / `npm test`, one line with the branch coverage of the product code alone: shared/
// without the simulator and the local tools (sim, local, demo, bench, chaos, cli), and functions/. The
// text summary above it also counts the CLI.
const path = require('node:path');

const NOT_PRODUCT = ['sim', 'local', 'demo', 'bench', 'chaos', 'cli'].map((d) => `shared/${d}/`);
const AREAS = ['shared/', 'functions/'];

class ProductCoverageReport {
  constructor(opts = {}) {
    this.rootDir = opts.rootDir ?? process.cwd();
  }

  execute(context) {
    const sums = Object.fromEntries(AREAS.map((a) => [a, { covered: 0, total: 0 }]));
    const visit = (node) => {
      if (node.isSummary()) return node.getChildren().forEach(visit);
      const fc = node.getFileCoverage();
      const rel = path.relative(this.rootDir, fc.path).split(path.sep).join('/');
      const area = AREAS.find((a) => rel.startsWith(a));
      if (!area || NOT_PRODUCT.some((d) => rel.startsWith(d))) return;
      const b = fc.toSummary().branches;
      sums[area].covered += b.covered;
      sums[area].total += b.total;
    };
    visit(context.getTree('flat').getRoot());
    const pct = (s) => (s.total === 0 ? 'n/a' : `${((100 * s.covered) / s.total).toFixed(2)}%`);
    const both = {
      covered: sums['shared/'].covered + sums['functions/'].covered,
      total: sums['shared/'].total + sums['functions/'].total,
    };
    const part = (a) => `${a} ${pct(sums[a])} (${sums[a].covered}/${sums[a].total})`;
    console.log(
      `Product code branches (shared/ without sim, local, demo, bench, chaos, cli): ${part('shared/')}, ${part('functions/')}; together ${pct(both)}`,
    );
  }
}

module.exports = ProductCoverageReport;
