import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry';
import { SettingsError } from './errors';
import { formatMetricsTable } from './metric-cell';
import { parseAssignments, parseGrid, resolveInferenceOverrides, resolveRunSettings } from './setting-assignments';

const registry = createDefaultRegistry();

describe('parseAssignments', () => {
  it('reads key=value texts, a later one winning', () => {
    expect(parseAssignments(['dropout=0.2', 'epochs=3', 'dropout=0.3'])).toEqual({ dropout: '0.3', epochs: '3' });
  });

  it('names the source of a malformed one', () => {
    expect(() => parseAssignments(['dropout'])).toThrow('--set expects key=value, got "dropout"');
    expect(() => parseAssignments(['=1'], 'settings')).toThrow(SettingsError);
  });
});

describe('parseGrid', () => {
  it('parses key=v1,v2 texts', () => {
    expect(parseGrid(['dropout=0.2,0.5', 'learningRate=1e-3'])).toEqual({
      dropout: ['0.2', '0.5'],
      learningRate: ['1e-3'],
    });
  });

  it('rejects an empty grid, a malformed text, an empty value and a repeated key', () => {
    expect(() => parseGrid([])).toThrow(/at least one --grid/);
    expect(() => parseGrid(['dropout'])).toThrow(/key=v1,v2/);
    expect(() => parseGrid(['dropout=0.2,,0.5'])).toThrow(/empty value/);
    expect(() => parseGrid(['dropout=0.2', 'dropout=0.5'])).toThrow(/twice/);
  });
});

describe('resolveRunSettings', () => {
  it('lays defaults under the preset and the preset under the assignments, each parsed by its owner', () => {
    const settings = resolveRunSettings(registry, 'sasrec', {
      preset: { train: { epochs: 7, patience: 2 }, hyperparameters: { dropout: 0.2 }, note: 'tuned' },
      assignments: { patience: '4', numLayers: '3' },
    });
    expect(settings.train).toMatchObject({ epochs: 7, patience: 4, batchSize: 256 });
    expect(settings.hyperparameters).toMatchObject({ dropout: 0.2, numLayers: 3, hiddenSize: 64 });
    expect(settings.presetNote).toBe('tuned');
    expect(resolveRunSettings(registry, 'sasrec').presetNote).toBe('field defaults (no tuned preset)');
  });

  it('names an unknown key with the known ones, and a value out of range with the range', () => {
    expect(() => resolveRunSettings(registry, 'sasrec', { assignments: { hiddenSiz: '8' } })).toThrow(
      /unknown setting "hiddenSiz" for --set with sasrec; known: .*hiddenSize/,
    );
    expect(() => resolveRunSettings(registry, 'imecd', { assignments: { guidanceWeight: '1.5' } })).toThrow(
      '--set guidanceWeight: expected number in [0, 1), got 1.5',
    );
    expect(() => resolveRunSettings(registry, 'sasrec', { assignments: { epochs: '0' }, source: 'grid' })).toThrow(
      /^grid epochs: /,
    );
  });

  it("takes a feature-reading model's input choices from the preset and --set, and refuses them for other models", () => {
    const settings = resolveRunSettings(registry, 'imecd', {
      preset: { inputs: { textInput: 'features' }, note: 'tuned' },
      assignments: { imageInput: 'none' },
    });
    expect(settings.inputs).toEqual({ textInput: 'features', imageInput: 'none' });
    expect(resolveRunSettings(registry, 'imecd').inputs).toEqual({ textInput: 'auto', imageInput: 'auto' });
    expect(() => resolveRunSettings(registry, 'imecd', { assignments: { textInput: 'tfidf' } })).toThrow(
      "--set textInput: expected 'auto' | 'codes' | 'features' | 'none', got 'tfidf'",
    );
    expect(() => resolveRunSettings(registry, 'sasrec', { assignments: { textInput: 'features' } })).toThrow(
      /unknown setting "textInput" for --set with sasrec \(sasrec reads no features\)/,
    );
  });
});

describe('resolveInferenceOverrides', () => {
  it('takes only the settings that do not touch the weights, typed by the schema', () => {
    expect(resolveInferenceOverrides(registry, 'imecd', { samplingSteps: '1' })).toEqual({ samplingSteps: 1 });
    expect(() => resolveInferenceOverrides(registry, 'imecd', { hiddenSize: '8' })).toThrow(
      /--set hiddenSize: evaluate can only change settings that do not touch the weights; imecd has .*samplingSteps/,
    );
    expect(() => resolveInferenceOverrides(registry, 'sasrec', { dropout: '0.1' })).toThrow(/sasrec has none/);
    expect(() => resolveInferenceOverrides(registry, 'gone', {})).toThrow(SettingsError);
  });
});

describe('formatMetricsTable', () => {
  it('writes a row per split with 4-decimal cells and mean ± std, "-" for a missing metric', () => {
    const lines = formatMetricsTable(
      { valid: { 'ndcg@10': 0.12345 }, test: { 'ndcg@10': { mean: 0.1, std: 0.002, n: 3 }, 'hr@10': undefined } },
      ['ndcg@10', 'hr@10'],
    );
    expect(lines[0]).toBe('| split | ndcg@10 | hr@10 |');
    expect(lines[1]).toBe('|---|---|---|');
    expect(lines[2]).toBe('| valid | 0.1235 | - |');
    expect(lines[3]).toMatch(/^\| test \| 0\.1000 ± 0\.0020 \| - \|$/);
  });
});
