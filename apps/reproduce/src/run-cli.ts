import { ImecdError } from '@imecd/core';
import type { CliIo } from './cli-io';
import { EVALUATE_USAGE, runEvaluate } from './commands/evaluate';
import { FEATURES_USAGE, runFeatures } from './commands/features';
import { INFO_USAGE, runInfo } from './commands/info';
import { PREPARE_USAGE, runPrepare } from './commands/prepare';
import { RECOMMEND_USAGE, runRecommend } from './commands/recommend';
import { REPLICATE_USAGE, runReplicate } from './commands/replicate';
import { runTrain, TRAIN_USAGE } from './commands/train';
import { runTune, TUNE_USAGE } from './commands/tune';
import { UsageError } from './usage-error';

type Command = { usage: string; run: (args: string[], io: CliIo) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  replicate: { usage: REPLICATE_USAGE, run: runReplicate },
  info: { usage: INFO_USAGE, run: runInfo },
  prepare: { usage: PREPARE_USAGE, run: runPrepare },
  train: { usage: TRAIN_USAGE, run: runTrain },
  tune: { usage: TUNE_USAGE, run: runTune },
  recommend: { usage: RECOMMEND_USAGE, run: runRecommend },
  evaluate: { usage: EVALUATE_USAGE, run: runEvaluate },
  features: { usage: FEATURES_USAGE, run: runFeatures },
};

const USAGE = `imecd-reproduce — IMECD and its baselines on real Amazon data

Commands:
${Object.values(COMMANDS)
  .map((command) => `  ${command.usage.split('\n')[0]}`)
  .join('\n')}

Run a command with --help for details.`;

/**
 * Runs one command line and returns the exit code: 0 success, 1 a failure while running (bad
 * data, I/O), 2 a command line that cannot be run. Errors of our own print their message only;
 * anything else is a bug and prints its stack.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // No command, or flags only: the main job.
  const [name, ...args] = argv[0] === undefined || argv[0].startsWith('--') && argv[0] !== '--help' ? ['replicate', ...argv] : argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`error: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`error: ${(error as Error).message}\n`);
      return 2;
    }
    if (ImecdError.isInstance(error)) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    io.stderr(`internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
