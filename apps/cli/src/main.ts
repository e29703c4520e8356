import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compileFlow } from '@switchyard/compiler';
import { formatDiagnostic, getFlowJsonSchema, lintFlow } from '@switchyard/flow';
import type { Diagnostic } from '@switchyard/flow';
import { EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE, readJsonFile, UsageError } from './io';
import type { Io } from './io';
import { runSimulate, runTest } from './simulate-command';

export type { Io } from './io';

const HELP = `switchyard — customer-support flows from the command line

Usage:
  switchyard validate FILE... [--json]     lint flow files; exit 1 if any has errors
  switchyard compile FILE [--out F] [--source-map F]
                                           print (or write) the XState machine JSON
  switchyard simulate FLOW --ticket T.json [--events E.json] [--until 72h] [--models DIR] [--json]
                                           run one ticket on a virtual clock and print the trace;
                                           trained models load from DIR (default: models/ beside
                                           the flow) as <modelId>.json
  switchyard test FLOW [--scenarios S.json] [--models DIR] [--json]
                                           run the flow's scenarios (default: scenarios.json beside
                                           the flow); exit 1 if any fails
  switchyard schema                        print the Flow JSON Schema
  switchyard classifier train|eval|cv|predict ...
                                           train and measure intent models (see --help)
  switchyard help                          this text

Exit codes: 0 ok, 1 diagnostics (errors), 2 usage problem (missing file, not JSON, bad arguments).
`;

async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  if (positionals.length === 0) throw new UsageError('validate: name at least one flow file');
  const documents: { file: string; document: unknown }[] = [];
  for (const file of positionals) documents.push({ file, document: await readJsonFile(file) });

  let failed = false;
  const report: { file: string; diagnostics: readonly Diagnostic[] }[] = [];
  for (const { file, document } of documents) {
    const { diagnostics } = lintFlow(document);
    if (diagnostics.some((d) => d.severity === 'error')) failed = true;
    report.push({ file, diagnostics });
  }
  if (values.json === true) {
    io.stdout(
      `${JSON.stringify(positionals.length === 1 ? report[0]?.diagnostics : report, null, 2)}\n`,
    );
  } else {
    for (const { file, diagnostics } of report) {
      const prefix = positionals.length > 1 ? `${file}: ` : '';
      for (const diagnostic of diagnostics) io.stdout(`${prefix}${formatDiagnostic(diagnostic)}\n`);
    }
  }
  return failed ? EXIT_DIAGNOSTICS : EXIT_OK;
}

async function compile(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'source-map': { type: 'string' } },
  });
  const [file, ...rest] = positionals;
  if (file === undefined || rest.length > 0)
    throw new UsageError('compile: name exactly one flow file');
  const result = compileFlow(await readJsonFile(file));
  for (const diagnostic of result.diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
  if (result.machine === undefined || result.sourceMap === undefined) return EXIT_DIAGNOSTICS;
  const machine = `${JSON.stringify(result.machine, null, 2)}\n`;
  if (values.out === undefined) io.stdout(machine);
  else await writeOutput(values.out, machine);
  if (values['source-map'] !== undefined) {
    await writeOutput(values['source-map'], `${JSON.stringify(result.sourceMap, null, 2)}\n`);
  }
  return EXIT_OK;
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error: unknown) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
    throw new UsageError(`${path}: cannot write (${code})`);
  }
}

/**
 * Run the CLI with the given arguments; returns the exit code. Never throws for user mistakes.
 *
 * @example
 * await main(['validate', 'templates/saas-login/flow.json'], { stdout: console.log, stderr: console.error });
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'validate':
        return await validate(args, io);
      case 'compile':
        return await compile(args, io);
      case 'simulate':
        return await runSimulate(args, io);
      case 'test':
        return await runTest(args, io);
      case 'classifier': {
        const { runClassifierCommand } = await import('./classifier-command');
        return await runClassifierCommand(args, io);
      }
      case 'schema':
        io.stdout(`${JSON.stringify(getFlowJsonSchema(), null, 2)}\n`);
        return EXIT_OK;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(HELP);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"; run "switchyard help"`);
    }
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      io.stderr(`switchyard: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`switchyard: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
