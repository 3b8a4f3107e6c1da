import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The lint guard is what keeps Node built-ins and activity implementations out of the
// workflow sandbox before a worker bundles the code, so check it catches what it claims to.
// ESLint loads eslint.config.mjs with a dynamic import, which Jest's module sandbox refuses,
// so its Node API runs in a child process, once for all snippets. The snippet's file does not
// exist, so the type-aware parser is told to give it TypeScript's default project.
const LINT_SNIPPETS = `
  import { ESLint } from 'eslint';
  const snippets = JSON.parse(await new Response(process.stdin).text());
  const eslint = new ESLint({
    overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['src/workflows/x.ts'] } } } },
  });
  const reports = [];
  for (const code of snippets) {
    const [result] = await eslint.lintText(code, { filePath: 'src/workflows/x.ts' });
    reports.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
  }
  process.stdout.write(JSON.stringify(reports));
`;

interface LintMessage {
  ruleId: string | null;
  message: string;
}

const SNIPPETS = {
  util: "import { inspect } from 'util';\nexport const show = inspect;\n",
  nodeEvents: "import { EventEmitter } from 'node:events';\nexport const emitter = new EventEmitter();\n",
  streamPromises: "import { pipeline } from 'stream/promises';\nexport const pipe = pipeline;\n",
  activityValue: "import { createActivities } from '../activities';\nexport const make = createActivities;\n",
  activityType: [
    "import type { ReminderActivities } from '../activities';",
    "import { deliveryActivityOptions } from '../activities/options';",
    "import { isTerminal } from '../domain/status-machine';",
    'export type Activities = ReminderActivities;',
    'export const options = deliveryActivityOptions;',
    'export const done = isTerminal;',
    '',
  ].join('\n'),
};

let reports: Record<keyof typeof SNIPPETS, LintMessage[]>;

beforeAll(() => {
  const names = Object.keys(SNIPPETS) as (keyof typeof SNIPPETS)[];
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_SNIPPETS], {
    cwd: path.resolve(__dirname, '../../..'),
    input: JSON.stringify(names.map((name) => SNIPPETS[name])),
    encoding: 'utf8',
  });
  const results = JSON.parse(output) as LintMessage[][];
  reports = Object.fromEntries(names.map((name, index) => [name, results[index] ?? []])) as typeof reports;
}, 120_000);

const restrictedImports = (name: keyof typeof SNIPPETS) =>
  reports[name].filter((report) => report.ruleId === '@typescript-eslint/no-restricted-imports').map((report) => report.message);

describe('imports in workflow code', () => {
  it.each(['util', 'nodeEvents', 'streamPromises'] as const)('reports a Node built-in (%s)', (name) => {
    expect(restrictedImports(name)).toEqual([expect.stringContaining('Node built-ins')]);
  });

  it('reports a value import of the activity implementations', () => {
    expect(restrictedImports('activityValue')).toEqual([expect.stringContaining('activity types only')]);
  });

  it('allows a type import of the activities, their option presets and our domain modules', () => {
    expect(reports.activityType.filter((report) => report.ruleId === null)).toEqual([]);
    expect(restrictedImports('activityType')).toEqual([]);
  });
});
