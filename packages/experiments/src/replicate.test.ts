import { InvalidArgumentError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { isReportName, replicate } from './replicate';
import { syntheticDataset } from './synthetic.test-helper';

describe('replicate: reportName', () => {
  it('takes a file name stem and nothing that would leave reportDir or hide the file', () => {
    expect(isReportName('scientific-sasrec-bce')).toBe(true);
    expect(isReportName('toys.v2_a')).toBe(true);
    for (const name of ['', '../x', 'a/b', '.hidden', 'a b', '-x']) expect(isReportName(name), name).toBe(false);
  });

  it('refuses a reportName with a path before anything is trained', async () => {
    const events: string[] = [];
    const run = replicate(
      {
        models: ['pop'],
        dataset: syntheticDataset(),
        backend: 'cpu',
        datasetName: 'synthetic',
        datasetDir: '/nonexistent', // never read: the name is checked first
        seeds: [1],
        outDir: '/nonexistent',
        registry: createDefaultRegistry(),
        settingsFor: () => ({}),
        reportName: '../elsewhere',
      },
      { onEvent: (event) => events.push(event.type) },
    );
    await expect(run).rejects.toThrow(InvalidArgumentError);
    await expect(run).rejects.toThrow(/reportName: expected a file name stem .* got "\.\.\/elsewhere"/);
    expect(events).toEqual([]);
  });
});
