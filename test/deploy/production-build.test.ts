import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The image ships what `npm run build` compiles from src/ and nothing of the local stack
// (dev/: the Twilio stand-in, the voice agent's launcher, the chaos runner), the bench or the tests.
const root = path.resolve(__dirname, '..', '..');
const src = path.join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.[cm]?tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** Relative specifiers of static imports, re-exports, dynamic imports and requires. */
function relativeImports(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*|^\s*import\s+)['"](\.[^'"]*)['"]/gm)];
  return specifiers.map((match) => match[1]!);
}

/** What a file under src/ imports from outside src/, as "file imports specifier". */
function importsLeavingSrc(file: string, code: string): string[] {
  return relativeImports(code)
    .filter((specifier) => !path.resolve(path.dirname(file), specifier).startsWith(src + path.sep))
    .map((specifier) => `${path.relative(root, file)} imports ${specifier}`);
}

describe('the production build', () => {
  it('compiles src/ alone', () => {
    const build = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include).toEqual(['src']);
  });

  it('copies no dev/, bench/, scripts/ or test/ code into the image', () => {
    const copies = readFileSync(path.join(root, 'Dockerfile'), 'utf8')
      .split('\n')
      .filter((line) => /^\s*COPY\b/i.test(line));
    expect(copies.length).toBeGreaterThan(0);
    for (const line of copies)
      expect({ line, copiesLocalCode: /\s\.?\/?(dev|bench|scripts|test)\b/.test(line) }).toEqual({ line, copiesLocalCode: false });
  });

  it('has no src/ file importing code from outside src/ (which tsc would pull into dist/)', () => {
    const files = sourceFiles(src);
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((file) => importsLeavingSrc(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('sees every form of import that would leave src/', () => {
    const file = path.join(src, 'worker', 'main.ts');
    const code = [
      "import { startTwilioStandIn } from '../../dev/standins/twilio-standin';",
      "export { tools } from '../../dev/stack/tools';",
      "import '../../dev/side-effect';",
      "const agent = require('../../dev/standins/voice-agent');",
      "const chaos = await import('../../dev/chaos/run-chaos');",
      "import { loadConfig } from '../config';",
    ].join('\n');
    expect(importsLeavingSrc(file, code)).toHaveLength(5);
  });
});
