// Exit 0 when <dir>/node_modules (default: scripts/web's) holds exactly the
// versions that <dir>/package-lock.json pins (scripts/setup.sh then skips
// `npm ci`), else 1.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = process.argv[2] || __dirname;
const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
for (const [where, pkg] of Object.entries(lock.packages || {})) {
  if (!where.startsWith('node_modules/')) continue;
  const file = path.join(dir, where, 'package.json');
  // An optional package (another platform's binary) may be absent.
  if (!fs.existsSync(file) && pkg.optional) continue;
  if (!fs.existsSync(file) || JSON.parse(fs.readFileSync(file, 'utf8')).version !== pkg.version) {
    process.exit(1);
  }
}
process.exit(0);
