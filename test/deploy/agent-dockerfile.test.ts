import { readFileSync } from 'node:fs';
import path from 'node:path';

// No Docker engine runs here, so agent/Dockerfile is checked by reading it.
const agentDir = path.resolve(__dirname, '..', '..', 'agent');
const read = (file: string) => readFileSync(path.join(agentDir, file), 'utf8');
// Instructions, with continuation lines joined and comments dropped.
const instructions = read('Dockerfile')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
  });
const all = (keyword: string) => instructions.filter((instruction) => instruction.keyword === keyword).map(({ args }) => args);
const pipInstalls = all('RUN').flatMap((run) =>
  run
    .split('&&')
    .map((command) => command.trim())
    .filter((command) => /\bpip\d* install\b/.test(command)),
);

/** `name==version` of each pin in constraints.txt, by normalized name. */
const pins = new Map(
  read('constraints.txt')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const pin = /^([A-Za-z0-9._-]+)==([^\s;]+)$/.exec(line.trim());
      if (!pin) throw new Error(`constraints.txt pins every package exactly (name==version), not ${line}`);
      return [normalized(pin[1]!), pin[2]!] as const;
    }),
);
function normalized(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The requirement strings of pyproject.toml's `dependencies` (a list over lines) or of one extra (a list on one line; its nested extras of this package expanded). */
function requirements(extra?: string): string[] {
  const pyproject = read('pyproject.toml');
  const list = (pattern: RegExp) => [...(pattern.exec(pyproject)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
  if (extra === undefined) return list(/^dependencies = \[([^\]]*)\]/m);
  return list(new RegExp(`^${extra} = \\[(.*)\\]$`, 'm')).flatMap((requirement) => {
    const nested = /^payment-agent\[([^\]]+)\]$/.exec(requirement);
    return nested ? nested[1]!.split(',').flatMap((name) => requirements(name.trim())) : [requirement];
  });
}

describe('agent/Dockerfile', () => {
  it('is based on a pinned python:3.11 slim image', () => {
    expect(all('FROM')).toEqual([expect.stringMatching(/^python:3\.11\.\d+-slim(-[a-z]+)?$/)]);
  });

  it('installs the production extras under exactly the constraints file, and nothing else', () => {
    expect(pipInstalls).toEqual(["pip install --constraint constraints.txt '.[providers]'"]);
    expect(all('COPY')).toContainEqual(expect.stringMatching(/^(\S+ )*constraints\.txt( \S+)* \.\/$/));
  });

  it('installs what constraints.txt pins, at the versions pyproject.toml asks for', () => {
    const production = [...requirements(), ...requirements('providers')];
    expect(production).toEqual(expect.arrayContaining(['livekit-agents==1.8.9', 'livekit-plugins-openai==1.8.9']));
    for (const requirement of production) {
      const [name, version] = requirement.split('==');
      expect({ requirement, pinned: pins.get(normalized(name!)) }).toEqual({ requirement, pinned: version });
    }
    expect(requirements('providers').join(' ')).not.toMatch(/pytest/);
  });

  it('copies the package only: no stand-ins, tests or local settings', () => {
    const sources = all('COPY').flatMap((args) => args.split(/\s+/).slice(0, -1));
    expect(sources.sort()).toEqual(['constraints.txt', 'payment_agent', 'pyproject.toml']);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['.env.local', 'standins', 'tests']));
  });

  it('runs the production worker as a user other than root', () => {
    const user = all('USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    const keywords = instructions.map(({ keyword }) => keyword);
    expect(keywords.indexOf('USER')).toBeGreaterThan(keywords.lastIndexOf('RUN'));
    expect(all('CMD')).toEqual(['["python", "-m", "payment_agent", "start"]']);
  });
});
