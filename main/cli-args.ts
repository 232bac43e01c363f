// Parses the `lectern` command line: a command, positional arguments and --flags.
// Hand-written (no dependency) because the grammar is small and fixed (ARCHITECTURE §4).
import { UsageError } from './core/errors.js';

export type Command = 'read' | 'search' | 'info' | 'text' | 'score';

export interface CliArgs {
  command: Command;
  file: string;
  query: string | null;
  json: boolean;
  db: string | null;
  device: 'auto' | 'cpu' | 'gpu';
  password: string | null;
  top: number;
}

const COMMANDS: Record<Command, { positional: number; usage: string; what: string; example: string }> = {
  read: {
    positional: 1,
    usage: 'lectern read <file> [--json] [--db PATH] [--device auto|cpu|gpu] [--password P]',
    what: 'add a document to the library and read it once with the model',
    example: 'lectern read contract.pdf',
  },
  search: {
    positional: 2,
    usage: 'lectern search <file> <query> [--json] [--top N]',
    what: 'full-text search, each hit quoted and cited by page',
    example: 'lectern search contract.pdf "termination for convenience" --top 3',
  },
  info: { positional: 1, usage: 'lectern info <file> [--json]', what: 'title, size, headings and reading status', example: 'lectern info thesis.docx' },
  text: { positional: 1, usage: 'lectern text <file> [--json]', what: 'the text as Lectern extracted it', example: 'lectern text paper.pdf --json' },
  score: {
    positional: 1,
    usage: 'lectern score <file> [--json]',
    what: "the model's bits per byte on the document, overall and by position",
    example: 'lectern score novel.txt',
  },
};

export const USAGE = [
  'Lectern reads long documents offline and answers with citations.',
  '',
  'Usage:',
  ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
  '',
  'Commands:',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(7)} ${c.what}: ${c.example}`),
  '',
  'Common options: --db PATH (or LECTERN_DB) chooses the library file; --password P opens an',
  'encrypted PDF; --json prints results (and errors) as JSON on stdout.',
  'lectern --version prints the version. Exit codes: 0 ok, 1 internal error, 2 usage, 3 input rejected.',
].join('\n');

function isCommand(s: string | undefined): s is Command {
  return s !== undefined && Object.hasOwn(COMMANDS, s);
}

export function parseArgs(argv: string[]): CliArgs | 'help' | 'version' {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return 'help';
  if (argv[0] === '--version' || argv[0] === '-V') return 'version';
  const [name, ...rest] = argv;
  if (!isCommand(name)) throw new UsageError(`unknown command "${name}"\n\n${USAGE}`);
  const spec = COMMANDS[name];
  const positional: string[] = [];
  const args: CliArgs = { command: name, file: '', query: null, json: false, db: null, device: 'auto', password: null, top: 5 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value\n\nusage: ${spec.usage}`);
      return v;
    };
    switch (a) {
      case '--json': args.json = true; break;
      case '--db': args.db = value(); break;
      case '--password': args.password = value(); break;
      case '--device': {
        const d = value();
        if (d !== 'auto' && d !== 'cpu' && d !== 'gpu') throw new UsageError(`--device must be auto, cpu or gpu, not "${d}"`);
        args.device = d;
        break;
      }
      case '--top': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError('--top must be an integer from 1 to 100');
        args.top = n;
        break;
      }
      case '--help': case '-h': return 'help';
      default:
        if (a.startsWith('--')) throw new UsageError(`unknown option ${a}\n\nusage: ${spec.usage}`);
        positional.push(a);
    }
  }
  if (positional.length !== spec.positional) throw new UsageError(`usage: ${spec.usage}`);
  args.file = positional[0];
  if (spec.positional === 2) args.query = positional[1];
  return args;
}
