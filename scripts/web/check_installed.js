// Exit 0 when scripts/web/node_modules holds exactly the versions that
// package-lock.json pins (scripts/setup.sh then skips `npm ci`), else 1.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = process.argv[2] || __dirname;
const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
for (const [where, pkg] of Object.entries(lock.packages || {})) {
  if (!where.startsWith('node_modules/')) continue;
  const file = path.join(dir, where, 'package.json');
  if (!fs.existsSync(file) || JSON.parse(fs.readFileSync(file, 'utf8')).version !== pkg.version) {
    process.exit(1);
  }
}
process.exit(0);
