import { swcPlugin } from './scripts/swc.mjs';
import { defineConfig } from 'vitest/config';

// SWC compiles the API's decorators with the metadata NestJS's injection and validation read.
const plugins = [swcPlugin()];
const resolve = { conditions: ['development'] };

export default defineConfig({
  test: {
    projects: [
      {
        plugins,
        resolve,
        test: {
          name: 'unit',
          include: [
            'libs/*/src/**/*.spec.ts',
            'apps/api/src/**/*.spec.ts',
            'apps/web/src/**/*.spec.ts',
          ],
          environment: 'node',
        },
      },
      {
        plugins,
        resolve,
        test: {
          name: 'integration',
          include: ['apps/api/test/**/*.spec.ts'],
          environment: 'node',
          globalSetup: ['apps/api/test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
