import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Both cores for the unit files (vitest's default leaves one idle); the e2e project runs its
    // files one at a time regardless.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['engine/**/*.test.ts', 'workers/**/*.test.ts', 'bridge/**/*.test.ts', 'scripts/**/*.test.ts', 'scenes/**/*.test.ts', 'app/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
