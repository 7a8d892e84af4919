import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureMatrix } from '@imecd/data-amazon';
import type { BenchCase } from './plan';

/**
 * The file the PyTorch reference reads: the very batches the tfjs side trains and evaluates on,
 * so both sides do the same work. `manifest.json` describes the cases; every array lives in one
 * of two little-endian raw files (int32 ids and targets, float32 features and masks), addressed
 * by element offset — numpy reads them with one `fromfile` each.
 */
export interface Manifest {
  version: 1;
  threads: number;
  intFile: string;
  floatFile: string;
  /** Per dataset, its feature modalities in the order IMECD builds its streams (text, image). */
  features: Record<string, { modality: string; rows: number; dim: number; values: number; mask: number }[]>;
  cases: ManifestCase[];
}

type ManifestBatch = { size: number; length: number; inputs: number; targets?: number; userTargets?: number };

export type ManifestCase =
  | {
      id: string;
      kind: 'train';
      model: string;
      dataset: string;
      config: Record<string, unknown>;
      warmup: number;
      batches: ManifestBatch[];
    }
  | {
      id: string;
      kind: 'eval';
      model: string;
      dataset: string;
      config: Record<string, unknown>;
      modelFrom: string;
      repeats: number;
      ks: number[];
      batches: ManifestBatch[];
    };

/** The fields every case has, which lead it in manifest.json; the fields of its kind follow. */
function caseHead<C extends BenchCase>(
  entry: C,
  config: Record<string, unknown>,
): Pick<C, 'id' | 'kind' | 'model' | 'dataset'> & { config: Record<string, unknown> } {
  return { id: entry.id, kind: entry.kind, model: entry.model, dataset: entry.dataset, config };
}

/** Collects arrays into the two raw files, handing out offsets. */
class ArrayPacker<T extends Int32Array | Float32Array> {
  private readonly parts: T[] = [];
  private length = 0;
  add(values: T): number {
    const offset = this.length;
    this.parts.push(values);
    this.length += values.length;
    return offset;
  }
  bytes(make: (length: number) => T): Buffer {
    const all = make(this.length);
    let offset = 0;
    for (const part of this.parts) {
      all.set(part, offset);
      offset += part.length;
    }
    return Buffer.from(all.buffer, all.byteOffset, all.byteLength);
  }
}

/** Writes manifest.json, ints.bin and floats.bin into `folder`; returns the manifest's path. */
export async function writeManifest(
  folder: string,
  options: {
    threads: number;
    cases: readonly BenchCase[];
    configs: Record<string, Record<string, unknown>>;
    features: Record<string, readonly FeatureMatrix[]>;
  },
): Promise<string> {
  const ints = new ArrayPacker<Int32Array>();
  const floats = new ArrayPacker<Float32Array>();
  const features: Manifest['features'] = {};
  for (const [dataset, matrices] of Object.entries(options.features)) {
    features[dataset] = matrices.map((matrix) => ({
      modality: matrix.modality,
      rows: matrix.mask.length,
      dim: matrix.dim,
      values: floats.add(matrix.values),
      mask: floats.add(Float32Array.from(matrix.mask)),
    }));
  }
  /** A batch's shape and the offsets of its input ids and of its targets, under the name its case kind reads. */
  const packBatch = (
    batch: { size: number; length: number },
    inputs: Int32Array,
    targetsKey: 'targets' | 'userTargets',
    targets: Int32Array,
  ): ManifestBatch => ({
    size: batch.size,
    length: batch.length,
    inputs: ints.add(inputs),
    [targetsKey]: ints.add(targets),
  });
  const cases = options.cases.map((entry): ManifestCase => {
    const config = options.configs[entry.id] ?? {};
    if (entry.kind === 'train') {
      const batches = entry.batches.map((batch) => packBatch(batch, batch.inputs, 'targets', batch.targets));
      return { ...caseHead(entry, config), warmup: entry.warmup, batches };
    }
    const batches = entry.batches.map((batch) => packBatch(batch, batch.histories, 'userTargets', batch.targets));
    return { ...caseHead(entry, config), modelFrom: entry.modelFrom, repeats: entry.passes, ks: [5, 10, 20], batches };
  });
  const manifest: Manifest = {
    version: 1,
    threads: options.threads,
    intFile: 'ints.bin',
    floatFile: 'floats.bin',
    features,
    cases,
  };
  await writeFile(
    join(folder, manifest.intFile),
    ints.bytes((length) => new Int32Array(length)),
  );
  await writeFile(
    join(folder, manifest.floatFile),
    floats.bytes((length) => new Float32Array(length)),
  );
  const path = join(folder, 'manifest.json');
  await writeFile(path, JSON.stringify(manifest));
  return path;
}
