import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const historiesRoot = path.resolve(__dirname, 'histories');

/** Every committed history, named `<set>/<scenario>` (e.g. `v1/sms-delivered`). */
export function committedHistories(): { name: string; history: unknown }[] {
  return readdirSync(historiesRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((set) =>
      readdirSync(path.join(historiesRoot, set.name))
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => ({
          name: `${set.name}/${file.replace(/\.json$/, '')}`,
          history: JSON.parse(readFileSync(path.join(historiesRoot, set.name, file), 'utf8')) as unknown,
        })),
    );
}
