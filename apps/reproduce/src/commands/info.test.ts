import { describe, expect, it } from 'vitest';
import { runCaptured } from '../cli-io.test-helper';

// The verified counts of the real shipped datasets (see each datasets/*/PROVENANCE.md).
const VERIFIED = {
  scientific: { users: 2928, items: 1585, interactions: 19712, modalities: ['text', 'image'] },
  toys: { users: 19412, items: 11924, interactions: 167597, modalities: ['text'] },
  instruments: { users: 24772, items: 9922, interactions: 206153, modalities: [] },
  games: { users: 50546, items: 16859, interactions: 452989, modalities: ['text'] },
};

describe('reproduce info', () => {
  for (const [name, expected] of Object.entries(VERIFIED)) {
    it(`prints the verified counts of ${name}`, async () => {
      const { code, stdout } = await runCaptured(['info', '--dataset', name, '--json']);
      expect(code).toBe(0);
      const info = JSON.parse(stdout);
      expect(info).toMatchObject({ users: expected.users, items: expected.items, interactions: expected.interactions });
      expect(info.avgLength).toBeCloseTo(expected.interactions / expected.users, 6);
      expect(info.density).toBeCloseTo(expected.interactions / (expected.users * expected.items), 9);
      expect(info.modalities).toEqual(expect.arrayContaining(['id', ...expected.modalities]));
    }, 60_000);
  }

  it('names the shipped datasets when the name is unknown (exit 2)', async () => {
    const { code, stderr } = await runCaptured(['info', '--dataset', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown dataset "nope".*scientific, toys, instruments, instruments-mm, games/);
  });

  it('rejects unknown flags (exit 2) and unknown commands (exit 2)', async () => {
    expect((await runCaptured(['info', '--bogus'])).code).toBe(2);
    expect((await runCaptured(['frobnicate'])).code).toBe(2);
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await runCaptured(['info', '--dataset', 'scientific']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/users\s+2,928/);
    expect(stdout).toMatch(/image features\s+512-d/);
  });
});
