import { readFile } from 'node:fs/promises';
import { DataFormatError } from '@imecd/core';
import { writeFileAtomic } from '@imecd/core/node';
import type { TrainerCheckpoint } from '../trainer-checkpoint';

const MAGIC = 'IMECDCK1';

/**
 * Writes a checkpoint as ONE file, atomically: a temporary file is written in full, then renamed
 * over the old one, so a kill at any moment leaves either the previous or the new checkpoint.
 * Layout: 8-byte magic, uint32 JSON length, JSON (everything but the numbers, plus offsets),
 * zero padding to 4 bytes, then the float32 values.
 */
export async function writeCheckpointFile(file: string, checkpoint: TrainerCheckpoint): Promise<void> {
  const arrays = [
    checkpoint.weights.data,
    checkpoint.bestWeights.data,
    ...checkpoint.optimizer.map((entry) => entry.values),
  ];
  const header = {
    ...checkpoint,
    weights: { manifest: checkpoint.weights.manifest },
    bestWeights: { manifest: checkpoint.bestWeights.manifest },
    optimizer: checkpoint.optimizer.map(({ name, shape }) => ({ name, shape })),
    lengths: arrays.map((array) => array.length),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align4(8 + 4 + json.length);
  const total = start + arrays.reduce((sum, array) => sum + array.length * 4, 0);
  const buffer = Buffer.alloc(total);
  buffer.write(MAGIC, 0, 'latin1');
  buffer.writeUInt32LE(json.length, 8);
  json.copy(buffer, 12);
  let offset = start;
  for (const array of arrays) {
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(buffer, offset);
    offset += array.byteLength;
  }
  await writeFileAtomic(file, buffer);
}

export async function readCheckpointFile(file: string): Promise<TrainerCheckpoint> {
  const buffer = await readFile(file);
  if (buffer.length < 12 || buffer.toString('latin1', 0, 8) !== MAGIC) {
    throw new DataFormatError(file, undefined, 'not an IMECD checkpoint (bad magic bytes)');
  }
  const jsonLength = buffer.readUInt32LE(8);
  let header: Record<string, unknown> & { lengths: number[] };
  try {
    header = JSON.parse(buffer.toString('utf8', 12, 12 + jsonLength));
  } catch (error) {
    throw new DataFormatError(file, undefined, 'checkpoint header is not valid JSON (truncated file?)', {
      cause: error,
    });
  }
  let offset = align4(12 + jsonLength);
  const arrays = header.lengths.map((length) => {
    if (offset + length * 4 > buffer.length) throw new DataFormatError(file, undefined, 'checkpoint is truncated');
    const array = new Float32Array(length);
    Buffer.from(array.buffer).set(buffer.subarray(offset, offset + length * 4));
    offset += length * 4;
    return array;
  });
  const typed = header as unknown as TrainerCheckpoint & { lengths: number[] };
  return {
    version: typed.version,
    epochsDone: typed.epochsDone,
    bestEpoch: typed.bestEpoch,
    bestScore: typed.bestScore ?? -Infinity,
    epochsWithoutImprovement: typed.epochsWithoutImprovement,
    history: typed.history,
    weights: { manifest: typed.weights.manifest, data: arrays[0]! },
    bestWeights: { manifest: typed.bestWeights.manifest, data: arrays[1]! },
    optimizer: typed.optimizer.map(({ name, shape }, index) => ({ name, shape, values: arrays[index + 2]! })),
    ...(typed.partialEpoch && { partialEpoch: typed.partialEpoch }),
  };
}

function align4(value: number): number {
  return (value + 3) & ~3;
}
