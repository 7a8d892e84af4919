import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackend } from './describe-backend';
import { selectBackend } from './select-backend';

describe('describeBackend', () => {
  let previousBackend: string | null = null;

  beforeAll(() => {
    previousBackend = tf.engine().backendName ?? null;
  });
  afterAll(async () => {
    if (previousBackend !== null) await tf.setBackend(previousBackend);
  });

  it('names the selected backend, the tfjs versions and the cpu, as plain JSON', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    const description = describeBackend();
    expect(description.backend).toBe('wasm');
    expect(description.engineBackend).toBe('wasm');
    expect(description.versions['tfjs-core']).toBe(tf.version['tfjs-core']);
    expect(description.versions['tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(description.cpu.cores).toBeGreaterThanOrEqual(1);
    expect(description.cpu.model.length).toBeGreaterThan(0);
    expect(description.node).toBe(process.version);
    expect(JSON.parse(JSON.stringify(description))).toEqual(description);
  });

  it('stops claiming a selection once the engine has been switched away from it', async () => {
    await selectBackend({ backend: 'wasm', env: {} });
    await tf.setBackend('cpu');
    const description = describeBackend();
    expect(description.backend).toBeNull();
    expect(description.engineBackend).toBe('cpu');
    expect(description.versions['tfjs-backend-wasm']).toBeUndefined();
  });
});
