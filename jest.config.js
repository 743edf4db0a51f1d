import { availableParallelism } from 'node:os';

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
  // One worker more than cores: the end-to-end files spend much of their time waiting on the CLI processes
  // they start, so a worker per core left a fifth of the CPU idle (2 cores: 195 s wall for 313 s of CPU;
  // with 3 workers 154 s, the cores busy).
  maxWorkers: availableParallelism() + 1,
};
