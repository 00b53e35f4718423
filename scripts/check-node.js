// Fails fast when npm scripts run on a Node.js older than 22 (the devDependency `node` provides 22).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `aks-day2 needs Node.js >= 22, this is ${process.version}. Run 'npm ci' first: it installs Node 22 into node_modules/.bin.`,
  );
  process.exit(1);
}
