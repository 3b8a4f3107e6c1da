// How `npm start` and `npm run cluster` run their system until they are told to stop.

export interface Stoppable {
  stop(): Promise<void>;
}

/** Stops the system (or, before it exists, every managed part) once, then exits with `code`. */
export type StopAll = (code: number) => Promise<never>;

/**
 * Runs `main`, which starts a system and hands it to `started` as soon as it exists. SIGINT or
 * SIGTERM stops it once (Ctrl-C reaches the process more than once: the terminal sends it to
 * npm too, which relays it); a signal before the system exists stops its parts one by one
 * (`stopAllManaged`); a failed start is printed under `name` and stops everything with exit 1.
 */
export function runUntilStopped(
  name: string,
  main: (started: (system: Stoppable) => void, stopAll: StopAll) => Promise<void>,
  stopAllManaged: () => Promise<void>,
): void {
  let system: Stoppable | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll: StopAll = async (code) => {
    stopping ??= (async () => {
      try {
        await system?.stop();
      } finally {
        await stopAllManaged();
      }
    })();
    await stopping.catch((error: unknown) => console.error(`${name}: stopping failed: ${(error as Error).message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  main((started) => (system = started), stopAll).catch(async (error: unknown) => {
    console.error(`${name}: ${(error as Error).message}`);
    await stopAll(1);
  });
}
