/**
 * @file @imecd/recommender/node — what reads or writes files, apart from the main entry so that it
 * runs in a browser: a trainer checkpoint as one atomically written file.
 */
export { readCheckpointFile, writeCheckpointFile } from './checkpoint-file';
