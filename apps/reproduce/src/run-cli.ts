import { ImecdError } from '@imecd/core';
import type { CliIo } from './cli-io';
import { EVALUATE_USAGE, runEvaluate } from './commands/evaluate';
import { EXPORT_USAGE, runExport } from './commands/export';
import { FEATURES_USAGE, runFeatures } from './commands/features';
import { INFO_USAGE, runInfo } from './commands/info';
import { PREPARE_USAGE, runPrepare } from './commands/prepare';
import { RECOMMEND_USAGE, runRecommend } from './commands/recommend';
import { REPLICATE_USAGE, runReplicate } from './commands/replicate';
import { runStatus, STATUS_USAGE } from './commands/status';
import { runTrain, TRAIN_USAGE } from './commands/train';
import { runTune, TUNE_USAGE } from './commands/tune';
import { MODELS } from './registry';
import { DEFAULT_DATASET, SHIPPED_DATASETS } from './shipped-datasets';
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
  export: { usage: EXPORT_USAGE, run: runExport },
  status: { usage: STATUS_USAGE, run: runStatus },
  features: { usage: FEATURES_USAGE, run: runFeatures },
};

const USAGE = `imecd-reproduce — IMECD and its baselines on real Amazon data

Commands:
${Object.values(COMMANDS)
  .map((command) => `  ${command.usage.split('\n')[0]}`)
  .join('\n')}

Models: ${MODELS.names.join(', ')}
Datasets shipped in datasets/ (--dataset NAME; default ${DEFAULT_DATASET}), or --data-dir DIR for your own:
${Object.entries(SHIPPED_DATASETS)
  .map(([name, { summary }]) => `  ${name.padEnd(12)} ${summary}`)
  .join('\n')}

Run a command with --help for details.`;

/**
 * Runs one command line and returns the exit code: 0 success, 1 a failure while running (bad
 * data, I/O), 2 a command line that cannot be run. Errors of our own print their message only;
 * anything else is a bug and prints its stack.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // No command, or flags only: the main job.
  const [name, ...args] =
    argv[0] === undefined || (argv[0].startsWith('--') && argv[0] !== '--help') ? ['replicate', ...argv] : argv;
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
  // With --json, a failure is one JSON object on stdout as well, so scripts can tell it from a result.
  const json = args.includes('--json');
  const fail = (
    code: number,
    error: { code: string; message: string; file?: string; line?: number },
    text: string,
  ): number => {
    io.stderr(text);
    if (json) io.stdout(`${JSON.stringify({ error })}\n`);
    return code;
  };
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error) || isCommandLineError(error)) {
      const { message } = error as Error;
      return fail(2, { code: 'USAGE', message }, `error: ${message}\n`);
    }
    if (ImecdError.isInstance(error)) {
      const { file, line } = error as { file?: unknown; line?: unknown };
      const where = { ...(typeof file === 'string' && { file }), ...(typeof line === 'number' && { line }) };
      return fail(1, { code: error.code, message: error.message, ...where }, `error: ${error.message}\n`);
    }
    const message = error instanceof Error ? error.message : String(error);
    return fail(
      1,
      { code: 'INTERNAL', message },
      `internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
}

/**
 * @imecd/experiments' errors about what the command line asked: a run folder that cannot be used
 * so (RunMismatchError), a setting that is not one or out of range (SettingsError). Exit 2 too.
 */
function isCommandLineError(error: unknown): boolean {
  return ImecdError.isInstance(error) && (error.code === 'RUN_MISMATCH' || error.code === 'SETTINGS');
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
