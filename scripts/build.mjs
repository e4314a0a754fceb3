// Builds what `npm start` serves, skipping any part whose sources have not changed:
// the API and the domain library with SWC (see swc.mjs), the web app with Vite.
import { mkdir, readdir, stat, writeFile, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformTs } from './swc.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function filesUnder(dir, test) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

async function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) newest = Math.max(newest, (await stat(path)).mtimeMs);
  return newest;
}

async function stampOf(path) {
  try {
    return Number(await readFile(path, 'utf8'));
  } catch {
    return -1;
  }
}

async function compileTs(srcDir, outDir) {
  const sources = await filesUnder(
    srcDir,
    (n) => n.endsWith('.ts') && !n.endsWith('.spec.ts') && !n.endsWith('.d.ts'),
  );
  await Promise.all(
    sources.map(async (file) => {
      const out = join(outDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
      const { code, map } = await transformTs(await readFile(file, 'utf8'), file);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
      if (map) await writeFile(`${out}.map`, map);
    }),
  );
  // Data the code reads at run time (the EPCIS JSON schema) goes beside it.
  for (const file of await filesUnder(srcDir, (n) => n.endsWith('.json'))) {
    const out = join(outDir, relative(srcDir, file));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, await readFile(file));
  }
}

async function step(name, inputs, stamp, run, force) {
  const newest = await newestMtime(inputs);
  if (!force && newest <= (await stampOf(stamp))) return false;
  const started = Date.now();
  await run();
  await mkdir(dirname(stamp), { recursive: true });
  await writeFile(stamp, String(newest));
  console.log(`built ${name} in ${Date.now() - started} ms`);
  return true;
}

export async function build({ force = false } = {}) {
  const domainSrc = join(root, 'libs/domain/src');
  const apiSrc = join(root, 'apps/api/src');
  const webDir = join(root, 'apps/web');
  await step(
    'domain',
    await filesUnder(domainSrc, (n) => n.endsWith('.ts')),
    join(root, 'libs/domain/dist/.stamp'),
    () => compileTs(domainSrc, join(root, 'libs/domain/dist')),
    force,
  );
  await step(
    'api',
    await filesUnder(apiSrc, (n) => n.endsWith('.ts') || n.endsWith('.json')),
    join(root, 'dist/apps/api/.stamp'),
    () => compileTs(apiSrc, join(root, 'dist/apps/api')),
    force,
  );
  await step(
    'web',
    [
      ...(await filesUnder(join(webDir, 'src'), () => true)),
      ...(await filesUnder(join(webDir, 'public'), () => true)),
      ...(await filesUnder(domainSrc, (n) => n.endsWith('.ts'))),
      join(webDir, 'index.html'),
      join(webDir, 'vite.config.ts'),
    ],
    join(root, 'dist/apps/web/.stamp'),
    async () => {
      const { build: viteBuild } = await import('vite');
      await viteBuild({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
    },
    force,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  build({ force: process.argv.includes('--force') }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
