import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60000, // cases that spawn the bot transpile TypeScript at start; a loaded 2-core machine needs the room
    globalSetup: ['test/global-setup.ts'],
  },
});
