// One SWC configuration for the build and the tests: TypeScript with the legacy decorators and
// the design-type metadata NestJS reads for injection and validation. The WebAssembly build of
// SWC installs the same everywhere, with no native binary to fetch.
import swc from '@swc/wasm';

export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: true,
};

export function transformTs(code, filename) {
  return swc.transform(code, { ...swcOptions, filename, sourceFileName: filename });
}

/** A Vite/Vitest plugin compiling .ts files with SWC, in place of esbuild (no decorator metadata). */
export function swcPlugin() {
  return {
    name: 'huuco-swc',
    enforce: 'pre',
    async transform(code, id) {
      const file = id.split('?')[0];
      if (!file.endsWith('.ts') || file.includes('/node_modules/')) return null;
      const { code: out, map } = await transformTs(code, file);
      return { code: out, map: map ? JSON.parse(map) : null };
    },
  };
}
