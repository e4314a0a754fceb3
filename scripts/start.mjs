// `npm start`: build what changed, then run the server in this process.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from './build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
await build();
await import(pathToFileURL(resolve(root, 'dist/apps/api/main.js')).href);
