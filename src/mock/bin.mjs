#!/usr/bin/env node
// The `clickairtime-mock` bin. In a clone it runs the TypeScript sources through tsx; in the published package
// it runs dist/mock/cli.js (made by `npm run build:mock`), which needs the optional peer dependencies that it
// names when they are missing.
import { existsSync, readFileSync } from 'node:fs';

const sources = new URL('./cli.ts', import.meta.url);
let cli;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(sources.href);
} else {
  try {
    cli = await import('../../dist/mock/cli.js');
  } catch (error) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String(error?.message))?.[1];
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !missing) throw error;
    const { peerDependencies } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const peers = Object.entries(peerDependencies).map(([name, version]) => `${name}@${version}`).join(' ');
    console.error(`clickairtime-mock: ${missing} is not installed. The mock server needs: npm install ${peers}`);
    process.exit(1);
  }
}
await cli.main(process.argv.slice(2));
